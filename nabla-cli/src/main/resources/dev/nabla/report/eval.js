// Draws the confusion matrix of nabla eval's report as a heat map, from the JSON in #eval-data.
(function () {
  var data = JSON.parse(document.getElementById('eval-data').textContent);
  var cells = [];
  var largest = 1;
  data.confusion.forEach(function (row, t) {
    row.forEach(function (n, p) {
      cells.push([p, t, n]);
      largest = Math.max(largest, n);
    });
  });
  var chart = echarts.init(document.getElementById('chart-confusion'));
  chart.setOption({
    animation: false,
    tooltip: {
      formatter: function (c) {
        return 'true ' + data.classes[c.value[1]] + ', predicted ' + data.classes[c.value[0]] + ': ' + c.value[2];
      }
    },
    grid: {left: 110, right: 30, top: 20, bottom: 110},
    xAxis: {type: 'category', data: data.classes, name: 'predicted', nameLocation: 'middle', nameGap: 80,
            axisLabel: {rotate: 45}, splitArea: {show: true}},
    yAxis: {type: 'category', data: data.classes, name: 'true', nameLocation: 'middle', nameGap: 95, inverse: true,
            splitArea: {show: true}},
    visualMap: {min: 0, max: largest, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
                inRange: {color: ['#f7fbff', '#08306b']}},
    series: [{type: 'heatmap', data: cells, label: {show: data.classes.length <= 12}}]
  });
  window.addEventListener('resize', function () { chart.resize(); });
  window.addEventListener('load', function () { chart.resize(); });
}());
