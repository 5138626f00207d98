/* Draws the report's charts with Apache ECharts from the JSON in #report-data. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];
  var palette = ['#3d6fb6', '#c0392b', '#2e8b57', '#b7791f', '#8e2472', '#17a2b8', '#6b6f7a', '#e67e22',
    '#1abc9c', '#34495e'];

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return;
    }
    option.animation = false;
    option.color = palette;
    option.grid = option.grid || {left: 72, right: 36, top: 44, bottom: 56};
    option.tooltip = option.tooltip || {trigger: 'axis'};
    var chart = echarts.init(el, null, {renderer: 'canvas'});
    chart.setOption(option);
    charts.push(chart);
  }

  function positive(v) {
    return v !== null && v > 0 ? v : null;
  }

  function legend(names) {
    var l = {type: 'scroll', top: 4};
    if (names && names.length > 0) {
      l.data = names;
    }
    return l;
  }

  function logAxis(name) {
    return {type: 'log', name: name, nameGap: 12, axisLabel: {formatter: function (v) { return v.toExponential(0); }}};
  }

  function valueAxis(name, extra) {
    var axis = {type: 'value', name: name, nameGap: 12, scale: true};
    for (var k in extra) {
      axis[k] = extra[k];
    }
    return axis;
  }

  function stepAxis() {
    return {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28, minInterval: 1};
  }

  /** One series per key: points [step, value] from records grouped by key. */
  function seriesBy(records, key, value, transform) {
    var groups = {};
    var order = [];
    records.forEach(function (r) {
      if (!(r[key] in groups)) {
        groups[r[key]] = [];
        order.push(r[key]);
      }
      var v = r[value];
      groups[r[key]].push([r.step, transform ? transform(v) : v]);
    });
    return order.map(function (name) {
      return {name: name, type: 'line', showSymbol: groups[name].length < 30, connectNulls: false, data: groups[name]};
    });
  }

  var epochs = data.epochs;
  var epochAxis = {type: 'category', name: 'epoch', nameLocation: 'middle', nameGap: 28,
    data: epochs.map(function (e) { return e.epoch; })};
  make('chart-loss', {
    legend: legend(['train loss', 'test loss']),
    xAxis: epochAxis,
    yAxis: valueAxis('loss'),
    series: [
      {name: 'train loss', type: 'line', data: epochs.map(function (e) { return e.train_loss; })},
      {name: 'test loss', type: 'line', data: epochs.map(function (e) { return e.test_loss; })}
    ]
  });
  make('chart-accuracy', {
    legend: legend(['train accuracy', 'test accuracy']),
    xAxis: epochAxis,
    yAxis: valueAxis('accuracy', {min: 0, max: 1, scale: false}),
    series: [
      {name: 'train accuracy', type: 'line', data: epochs.map(function (e) { return e.train_accuracy; })},
      {name: 'test accuracy', type: 'line', data: epochs.map(function (e) { return e.test_accuracy; })}
    ]
  });

  var steps = data.steps;
  var index = steps.loss.map(function (v, i) { return i + 1; });
  make('chart-steps', {
    legend: legend(['loss', 'gradient norm', 'after clipping']),
    xAxis: stepAxis(),
    yAxis: [valueAxis('loss'), logAxis('global ‖g‖')],
    series: [
      {name: 'loss', type: 'line', showSymbol: false, data: index.map(function (s, i) { return [s, steps.loss[i]]; })},
      {name: 'gradient norm', type: 'line', yAxisIndex: 1, showSymbol: false,
        data: index.map(function (s, i) { return [s, positive(steps.grad_norm[i])]; })},
      {name: 'after clipping', type: 'line', yAxisIndex: 1, showSymbol: false, lineStyle: {type: 'dashed'},
        data: index.map(function (s, i) { return [s, positive(steps.clipped_grad_norm[i])]; })}
    ]
  });

  var monitor = data.monitor;
  var weights = monitor.parameters.filter(function (p) { return p.weight; }).map(function (p) { return p.name; });
  var weightRecords = monitor.gradients.filter(function (g) { return weights.indexOf(g.name) >= 0; });
  var gradSeries = seriesBy(weightRecords, 'name', 'grad_norm', positive);
  make('chart-grad-layers', {
    legend: legend(weights),
    xAxis: stepAxis(),
    yAxis: logAxis('‖∂L/∂W‖'),
    series: gradSeries
  });

  var recordedSteps = [];
  weightRecords.forEach(function (g) {
    if (recordedSteps.indexOf(g.step) < 0) {
      recordedSteps.push(g.step);
    }
  });
  var profileSteps = recordedSteps.length > 1 ? [recordedSteps[0], recordedSteps[recordedSteps.length - 1]]
      : recordedSteps;
  make('chart-grad-profile', {
    legend: legend(profileSteps.map(function (s) { return 'step ' + s; })),
    xAxis: {type: 'category', name: 'layer (input → output)', nameLocation: 'middle', nameGap: 30, data: weights},
    yAxis: logAxis('‖∂L/∂W‖'),
    series: profileSteps.map(function (s) {
      return {name: 'step ' + s, type: 'line', data: weights.map(function (w) {
        var hit = weightRecords.filter(function (g) { return g.step === s && g.name === w; })[0];
        return hit ? positive(hit.grad_norm) : null;
      })};
    })
  });

  make('chart-update-ratio', {
    legend: legend(weights),
    xAxis: stepAxis(),
    yAxis: logAxis('‖Δw‖ / ‖w‖'),
    series: seriesBy(weightRecords.filter(function (g) { return g.update_ratio !== null; }), 'name', 'update_ratio',
        positive)
  });

  var acts = monitor.activations_stats;
  var fractions = acts.map(function (a) {
    var f = a.kind === 'relu' ? a.dead_fraction : a.saturated_fraction;
    return {step: a.step, module: a.module + (a.kind === 'relu' ? ' dead' : ' saturated'), value: f};
  }).filter(function (a) { return a.value !== null; });
  make('chart-activations', {
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: valueAxis('fraction of units', {min: 0, max: 1, scale: false}),
    series: seriesBy(fractions, 'module', 'value')
  });
  make('chart-activation-std', {
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: logAxis('std of the output'),
    series: seriesBy(acts.map(function (a) { return {step: a.step, module: a.module + ' ' + a.kind, std: a.std}; }),
        'module', 'std', positive)
  });

  var bn = monitor.batchnorm;
  if (bn.length > 0) {
    var meanSeries = seriesBy(bn, 'module', 'running_mean_avg').map(function (s) {
      s.name = s.name + ' mean';
      return s;
    });
    var varSeries = seriesBy(bn, 'module', 'running_var_avg').map(function (s) {
      s.name = s.name + ' var';
      s.yAxisIndex = 1;
      s.lineStyle = {type: 'dashed'};
      return s;
    });
    make('chart-batchnorm', {
      legend: legend([]),
      xAxis: stepAxis(),
      yAxis: [valueAxis('running mean (avg)'), valueAxis('running var (avg)')],
      series: meanSeries.concat(varSeries)
    });
  }

  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.resize(); });
  });
  document.body.setAttribute('data-charts-drawn', String(charts.length));
})();
