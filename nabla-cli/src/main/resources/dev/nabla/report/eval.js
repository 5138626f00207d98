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

// The first misclassified images, each drawn pixel by pixel (grey, 0 black, 1 white) on a canvas four times its
// size, under the true class and the predicted one.
(function () {
  var data = JSON.parse(document.getElementById('eval-data').textContent);
  var grid = document.getElementById('mistake-grid');
  if (!grid || data.mistakes.length === 0) {
    return;
  }
  var h = data.image[0], w = data.image[1], scale = Math.max(2, Math.floor(112 / Math.max(h, w)));
  data.mistakes.forEach(function (m) {
    var figure = document.createElement('figure');
    var canvas = document.createElement('canvas');
    canvas.width = w * scale;
    canvas.height = h * scale;
    var g = canvas.getContext('2d');
    for (var y = 0; y < h; y++) {
      for (var x = 0; x < w; x++) {
        var v = Math.round(255 * Math.min(1, Math.max(0, m.pixels[y * w + x])));
        g.fillStyle = 'rgb(' + v + ',' + v + ',' + v + ')';
        g.fillRect(x * scale, y * scale, scale, scale);
      }
    }
    var caption = document.createElement('figcaption');
    caption.textContent = m.label + ' → ' + m.predicted;
    caption.title = 'sample ' + m.sample + ': true ' + m.label + ', predicted ' + m.predicted;
    figure.appendChild(canvas);
    figure.appendChild(caption);
    grid.appendChild(figure);
  });
}());
