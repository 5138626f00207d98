/* Draws the report's charts with Apache ECharts from the JSON in #report-data. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var charts = [];
  var palette = ['#3d6fb6', '#c0392b', '#2e8b57', '#b7791f', '#8e2472', '#17a2b8', '#6b6f7a', '#e67e22',
    '#1abc9c', '#34495e'];
  /** Height of a chart without its legend (px); the legend's rows below add to it. */
  var PLOT_HEIGHT = 340;
  /** Room below the plot for the x axis's labels and name (px). */
  var X_AXIS_ROOM = 56;

  function make(id, option) {
    var el = document.getElementById(id);
    if (!el) {
      return;
    }
    option.animation = false;
    option.color = option.color || palette;
    option.grid = {left: 72, right: 56, top: 40, bottom: X_AXIS_ROOM};
    option.tooltip = {trigger: 'axis', confine: true, formatter: tooltipFormatter(option)};
    delete option.tooltipTitle;  // read by tooltipFormatter, not an ECharts option
    // The x axis stays at the bottom: by default it sits on the y axis's zero, which on a log axis is the value 1.
    option.xAxis.axisLine = {onZero: false};
    var chart = echarts.init(el, null, {renderer: 'canvas'});
    chart.setOption(option);
    fitLegend(chart);
    charts.push(chart);
  }

  /**
   * Grows the chart by its legend's height and moves the plot up by as much, so that a legend of many rows sits
   * below the x axis without covering it. Called again after a resize, when the legend may wrap differently.
   */
  function fitLegend(chart) {
    var model = chart.getModel().getComponent('legend');
    var view = model ? chart.getViewOfComponentModel(model) : null;
    var legendHeight = view ? Math.ceil(view.group.getBoundingRect().height) + 10 : 0;
    var el = chart.getDom();
    if (el.clientHeight !== PLOT_HEIGHT + legendHeight) {
      el.style.height = (PLOT_HEIGHT + legendHeight) + 'px';
      chart.resize();
    }
    chart.setOption({grid: {bottom: X_AXIS_ROOM + legendHeight}});
  }

  /** The legend: below the plot, wrapped onto as many rows as it needs, so every name is whole and none is paged. */
  function legend(names) {
    var l = {type: 'plain', bottom: 6, left: 16, right: 16, itemWidth: 18, itemHeight: 10, itemGap: 14};
    if (names && names.length > 0) {
      l.data = names;
    }
    return l;
  }

  /**
   * The tooltip: the x value (or option.tooltipTitle of it), then each series' value as that series prints it (its
   * valueText: a log-scale series holds log10 of its values), in columns when there are many.
   */
  function tooltipFormatter(option) {
    var xName = option.xAxis.name;
    var title = option.tooltipTitle || function (x) { return xName + ' ' + x; };
    return function (params) {
      if (params.length === 0) {
        return '';
      }
      var rows = params.map(function (p) {
        var v = Array.isArray(p.value) ? p.value[p.value.length - 1] : p.value;
        if (v === null || v === undefined) {
          return '';
        }
        var text = option.series[p.seriesIndex].valueText || function (x) { return number(x, 4); };
        return '<div>' + p.marker + escapeHtml(p.seriesName) + ': <b>' + text(v) + '</b></div>';
      }).join('');
      var columns = params.length > 12 ? Math.min(4, Math.ceil(params.length / 12)) : 1;
      return escapeHtml(title(params[0].axisValue))
          + '<div style="columns: ' + columns + '; column-gap: 18px">' + rows + '</div>';
    };
  }

  // [<] rather than a bare < in the pattern: the page escapes every "</" in this script as "<\/", which a string
  // survives but a regular expression does not.
  function escapeHtml(s) {
    return String(s).replace(/&/g, '&amp;').replace(/[<]/g, '&lt;').replace(/[>]/g, '&gt;');
  }

  /** x with the given significant digits, in scientific notation when very small or large: 0.0012, 3.2e-7. */
  function number(x, digits) {
    var a = Math.abs(x);
    if (a === 0) {
      return '0';
    }
    var rounded = Number(x.toPrecision(digits));
    return a >= 1e-3 && a < 1e5 ? String(rounded) : rounded.toExponential().replace('e+', 'e');
  }

  function percent(fraction) {
    var p = fraction * 100;
    return (p === 0 || p >= 10 ? p.toFixed(0) : p.toPrecision(2)) + ' %';
  }

  /** log10 of a positive value; null (a gap) for anything a log scale cannot show. */
  function log10(v) {
    return v !== null && v > 0 && isFinite(v) ? Math.log10(v) : null;
  }

  function fromLog10(v) {
    return number(Math.pow(10, v), 3);
  }

  /**
   * A log-scale y axis for series that hold log10 of their values. ECharts' own log axis labels only every tenth
   * decade once the values span ten decades, and only the two decades around values that span less than one, so
   * the values are drawn on a linear axis whose ticks this chooses: every decade (every 2nd, 5th, … when more
   * than a dozen would crowd the axis), labelled 1e-17 … 1e3; or, within three decades, ticks a fraction of a
   * decade apart, labelled with their values (0.2, 0.25, 0.32).
   */
  function logAxis(name, series) {
    var lo = Infinity;
    var hi = -Infinity;
    series.forEach(function (s) {
      s.data.forEach(function (p) {
        var v = Array.isArray(p) ? p[1] : p;
        if (v !== null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      });
    });
    if (lo > hi) {
      lo = -1;
      hi = 1;
    }
    var axis = {type: 'value', id: 'log10 ' + name, name: name, nameGap: 12};
    var decades = Math.ceil(hi) - Math.floor(lo);
    if (decades >= 3) {
      var step = [1, 2, 5, 10, 20, 50, 100].filter(function (s) { return decades / s <= 12; })[0] || 200;
      axis.min = Math.floor(lo / step) * step;
      axis.max = Math.ceil(hi / step) * step;
      axis.interval = step;
      axis.axisLabel = {formatter: function (v) { return '1e' + Math.round(v); }};
      if (step > 1) {
        axis.minorTick = {show: true, splitNumber: step};
      }
    } else {
      if (hi - lo < 0.02) {
        lo -= 0.01;
        hi += 0.01;
      }
      var fraction = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5].filter(function (s) { return (hi - lo) / s <= 8; })[0] || 1;
      // Enough digits that neighbouring labels differ: 0.76, 0.79 a tenth of a decade apart; 0.977, 1, 1.02 closer.
      var digits = Math.max(2, Math.ceil(-Math.log10(Math.pow(10, fraction) - 1)) + 1);
      // Rounded, or 21.700000000000003 would put a last tick beside the one at 21.7.
      axis.min = Number((Math.floor(lo / fraction) * fraction).toFixed(2));
      axis.max = Number((Math.ceil(hi / fraction) * fraction).toFixed(2));
      axis.interval = fraction;
      axis.axisLabel = {formatter: function (v) { return number(Math.pow(10, v), digits); }};
    }
    return axis;
  }

  function valueAxis(name, extra) {
    var axis = {type: 'value', name: name, nameGap: 12, scale: true};
    for (var k in extra) {
      axis[k] = extra[k];
    }
    return axis;
  }

  function stepAxis() {
    // Ends at the last step rather than at the next round number, which left an empty band on the right.
    return {type: 'value', name: 'step', nameLocation: 'middle', nameGap: 28, minInterval: 1, max: 'dataMax'};
  }

  /** Series drawn on a log axis: their values become log10, and the tooltip prints them back. */
  function onLogScale(series) {
    series.forEach(function (s) {
      s.data = s.data.map(function (p) { return Array.isArray(p) ? [p[0], log10(p[1])] : log10(p); });
      s.valueText = fromLog10;
    });
    return series;
  }

  /**
   * n colours from dark violet to light green (viridis): one per layer, input side first, so the order of many
   * layers' lines reads from their colour alone.
   */
  function depthColours(n) {
    var stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [170, 220, 50]];
    var out = [];
    for (var i = 0; i < n; i++) {
      var t = n === 1 ? 0 : i / (n - 1) * (stops.length - 1);
      var k = Math.min(Math.floor(t), stops.length - 2);
      var f = t - k;
      var rgb = stops[k].map(function (c, j) { return Math.round(c + (stops[k + 1][j] - c) * f); });
      out.push('rgb(' + rgb.join(',') + ')');
    }
    return out;
  }

  /** One series per key: points [step, value] from records grouped by key. */
  function seriesBy(records, key, value) {
    var groups = {};
    var order = [];
    records.forEach(function (r) {
      if (!(r[key] in groups)) {
        groups[r[key]] = [];
        order.push(r[key]);
      }
      groups[r[key]].push([r.step, r[value]]);
    });
    return order.map(function (name) {
      return {name: name, type: 'line', showSymbol: groups[name].length < 30, connectNulls: false, data: groups[name]};
    });
  }

  var epochs = data.epochs;
  var epochAxis = {type: 'category', name: 'epoch', nameLocation: 'middle', nameGap: 28,
    data: epochs.map(function (e) { return e.epoch; })};
  // with a validation set, the epochs hold validation figures and the test set is evaluated once, at the end
  var held = epochs.some(function (e) { return e.val_loss !== null && e.val_loss !== undefined; }) ? 'val' : 'test';
  make('chart-loss', {
    legend: legend(['train loss', held + ' loss']),
    xAxis: epochAxis,
    yAxis: valueAxis('loss'),
    series: [
      {name: 'train loss', type: 'line', data: epochs.map(function (e) { return e.train_loss; })},
      {name: held + ' loss', type: 'line', data: epochs.map(function (e) { return e[held + '_loss']; })}
    ]
  });
  make('chart-accuracy', {
    legend: legend(['train accuracy', held + ' accuracy']),
    xAxis: epochAxis,
    yAxis: valueAxis('accuracy', {min: 0, max: 1, scale: false}),
    series: [
      {name: 'train accuracy', type: 'line', data: epochs.map(function (e) { return e.train_accuracy; })},
      {name: held + ' accuracy', type: 'line', data: epochs.map(function (e) { return e[held + '_accuracy']; })}
    ]
  });
  make('chart-lr', {
    legend: legend(['learning rate']),
    xAxis: epochAxis,
    yAxis: valueAxis('learning rate'),
    series: [{name: 'learning rate', type: 'line', data: epochs.map(function (e) { return e.lr; })}]
  });

  var steps = data.steps;
  var index = steps.loss.map(function (v, i) { return i + 1; });
  var fewSteps = index.length < 30;  // then each step gets a dot, and a single step shows at all
  var normSeries = [{name: 'gradient norm', type: 'line', yAxisIndex: 1, showSymbol: fewSteps,
    data: index.map(function (s, i) { return [s, steps.grad_norm[i]]; })}];
  // Without clipping, or when it never cut a step, "after clipping" is the same line: drawn, it would hide the other.
  var clipped = steps.clipped_grad_norm.some(function (v, i) { return v !== steps.grad_norm[i]; });
  if (clipped) {
    normSeries.push({name: 'after clipping', type: 'line', yAxisIndex: 1, showSymbol: fewSteps,
      lineStyle: {type: 'dashed'}, data: index.map(function (s, i) { return [s, steps.clipped_grad_norm[i]]; })});
  }
  onLogScale(normSeries);
  make('chart-steps', {
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: [valueAxis('loss'), Object.assign(logAxis('global ‖g‖', normSeries), {splitLine: {show: false}})],
    series: [{name: 'loss', type: 'line', showSymbol: fewSteps,
      data: index.map(function (s, i) { return [s, steps.loss[i]]; })}].concat(normSeries)
  });

  var monitor = data.monitor;
  var weights = monitor.parameters.filter(function (p) { return p.weight; }).map(function (p) { return p.name; });
  var weightRecords = monitor.gradients.filter(function (g) { return weights.indexOf(g.name) >= 0; });
  var gradSeries = onLogScale(seriesBy(weightRecords, 'name', 'grad_norm'));
  make('chart-grad-layers', {
    color: depthColours(gradSeries.length),
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: logAxis('‖∂L/∂W‖', gradSeries),
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
  var profileSeries = onLogScale(profileSteps.map(function (s) {
    return {name: 'step ' + s, type: 'line', data: weights.map(function (w) {
      var hit = weightRecords.filter(function (g) { return g.step === s && g.name === w; })[0];
      return hit ? hit.grad_norm : null;
    })};
  }));
  make('chart-grad-profile', {
    legend: legend([]),
    // Labelled with the module's path (0, 2, …): whole names such as 0.weight would be thinned out or overlap.
    xAxis: {type: 'category', name: 'layer (input → output)', nameLocation: 'middle', nameGap: 30, data: weights,
      axisLabel: {formatter: function (w) { return w.replace(/\.weight$/, ''); }}},
    yAxis: logAxis('‖∂L/∂W‖', profileSeries),
    tooltipTitle: function (w) { return w; },
    series: profileSeries
  });

  var ratioSeries = onLogScale(seriesBy(weightRecords, 'name', 'update_ratio'));
  make('chart-update-ratio', {
    color: depthColours(ratioSeries.length),
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: logAxis('‖Δw‖ / ‖w‖', ratioSeries),
    series: ratioSeries
  });

  var acts = monitor.activations_stats;
  // A ReLU's figure is the fraction of its units that are dead, a sigmoid's or tanh's the fraction of its outputs
  // that are saturated: the series is named after the layer and the tooltip says which it is ("100 % of units dead").
  var relu = {};
  var fractionSeries = seriesBy(acts.map(function (a) {
    var layer = a.module + ' ' + a.kind;
    relu[layer] = a.kind === 'relu';
    return {step: a.step, layer: layer, value: relu[layer] ? a.dead_fraction : a.saturated_fraction};
  }).filter(function (a) { return a.value !== null; }), 'layer', 'value');
  fractionSeries.forEach(function (s) {
    var what = relu[s.name] ? ' of units dead' : ' of outputs saturated';
    s.valueText = function (v) { return percent(v) + what; };
  });
  var dead = fractionSeries.some(function (s) { return relu[s.name]; });
  var saturated = fractionSeries.some(function (s) { return !relu[s.name]; });
  make('chart-activations', {
    color: depthColours(fractionSeries.length),
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: valueAxis(dead && saturated ? 'dead or saturated' : dead ? 'units dead' : 'outputs saturated',
        {min: 0, max: 1, scale: false, axisLabel: {formatter: percent}}),
    series: fractionSeries
  });
  var stdSeries = onLogScale(seriesBy(acts.map(function (a) {
    return {step: a.step, layer: a.module + ' ' + a.kind, std: a.std};
  }), 'layer', 'std'));
  make('chart-activation-std', {
    color: depthColours(stdSeries.length),
    legend: legend([]),
    xAxis: stepAxis(),
    yAxis: logAxis('std of the output', stdSeries),
    series: stdSeries
  });

  var time = monitor.time;
  if (time.length > 0) {
    var picks = time.length > 2 ? [time[0], time[Math.floor((time.length - 1) / 2)], time[time.length - 1]] : time;
    var timeSeries = onLogScale(picks.map(function (r) {
      return {name: 'step ' + r.step, type: 'line', data: r.norms.map(function (v, t) { return [t + 1, v]; })};
    }));
    make('chart-time', {
      color: depthColours(timeSeries.length),
      legend: legend([]),
      xAxis: {type: 'value', name: 'time step t (first → last)', nameLocation: 'middle', nameGap: 28, minInterval: 1,
        min: 1, max: time[0].norms.length},
      yAxis: logAxis('‖∂L/∂x_t‖', timeSeries),
      tooltipTitle: function (t) { return 'time step ' + t; },
      series: timeSeries
    });
    var timeRatio = onLogScale([{name: 'first / last', type: 'line', showSymbol: time.length < 30,
      data: time.map(function (r) { return [r.step, r.ratio_first_last]; })}]);
    make('chart-time-ratio', {
      legend: legend([]),
      xAxis: stepAxis(),
      yAxis: logAxis('‖∂L/∂x_1‖ / ‖∂L/∂x_T‖', timeRatio),
      series: timeRatio
    });
  }

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
      // A layer's mean (solid) and variance (dashed) share its colour.
      color: depthColours(meanSeries.length).concat(depthColours(varSeries.length)),
      legend: legend([]),
      xAxis: stepAxis(),
      yAxis: [valueAxis('running mean (avg)'), valueAxis('running var (avg)')],
      series: meanSeries.concat(varSeries)
    });
  }

  if (data.filters) {
    // Each output channel's kernel (of its first input channel) as a small square, eight to a row, one cell apart;
    // a diverging scale symmetric around zero.
    var f = data.filters;
    var count = f.shape[0], inputs = f.shape[1], kh = f.shape[2], kw = f.shape[3];
    var perRow = Math.min(8, count);
    var cells = [];
    var largest = 1e-12;
    for (var k = 0; k < count; k++) {
      for (var i = 0; i < kh; i++) {
        for (var j = 0; j < kw; j++) {
          var v = f.values[((k * inputs) * kh + i) * kw + j];
          largest = Math.max(largest, Math.abs(v));
          cells.push([(k % perRow) * (kw + 1) + j, Math.floor(k / perRow) * (kh + 1) + i, v]);
        }
      }
    }
    var columns = perRow * (kw + 1) - 1;
    var rows = Math.ceil(count / perRow) * (kh + 1) - 1;
    var indices = function (n) { return Array.from({length: n}, function (_, i) { return i; }); };
    var chart = echarts.init(document.getElementById('chart-filters'));
    chart.setOption({
      animation: false,
      tooltip: {formatter: function (c) {
        var filter = Math.floor(c.value[1] / (kh + 1)) * perRow + Math.floor(c.value[0] / (kw + 1));
        return 'filter ' + filter + ': ' + c.value[2].toPrecision(3);
      }},
      grid: {left: 20, right: 20, top: 10, bottom: 60},
      xAxis: {type: 'category', data: indices(columns), show: false},
      yAxis: {type: 'category', data: indices(rows), show: false, inverse: true},
      visualMap: {min: -largest, max: largest, calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
                  inRange: {color: ['#2166ac', '#f7f7f7', '#b2182b']}},
      series: [{type: 'heatmap', data: cells}]
    });
    charts.push(chart);   // no legend: the layout below leaves the colour scale the x axis's room
  }

  if (data.feature_maps) {
    // Per image a row: the image under its class, then each block's first channels, each map on a canvas scaled to
    // about 56 pixels and to its own largest value (black 0, white largest).
    var fm = data.feature_maps;
    var grid = document.getElementById('feature-map-grid');
    var drawMap = function (values, offset, h, w, title) {
      var scale = Math.max(1, Math.floor(56 / Math.max(h, w)));
      var canvas = document.createElement('canvas');
      canvas.width = w * scale;
      canvas.height = h * scale;
      canvas.title = title;
      var largest = 0;
      for (var i = 0; i < h * w; i++) {
        largest = Math.max(largest, values[offset + i]);
      }
      var g = canvas.getContext('2d');
      for (var y = 0; y < h; y++) {
        for (var x = 0; x < w; x++) {
          var v = largest > 0 ? Math.round(255 * Math.max(0, values[offset + y * w + x]) / largest) : 0;
          g.fillStyle = 'rgb(' + v + ',' + v + ',' + v + ')';
          g.fillRect(x * scale, y * scale, scale, scale);
        }
      }
      return canvas;
    };
    var figure = function (caption, canvases) {
      var f = document.createElement('figure');
      var row = document.createElement('div');
      row.className = 'map-row';
      canvases.forEach(function (c) { row.appendChild(c); });
      var text = document.createElement('figcaption');
      text.textContent = caption;
      f.appendChild(row);
      f.appendChild(text);
      return f;
    };
    var ih = fm.images.shape[1], iw = fm.images.shape[2];
    fm.captions.forEach(function (caption, k) {
      var line = document.createElement('div');
      line.className = 'map-line';
      line.appendChild(figure(caption, [drawMap(fm.images.values, k * ih * iw, ih, iw, 'test image: ' + caption)]));
      fm.blocks.forEach(function (b, n) {
        var c = b.shape[1], h = b.shape[2], w = b.shape[3];
        var canvases = [];
        for (var j = 0; j < c; j++) {
          canvases.push(drawMap(b.values, (k * c + j) * h * w, h, w, 'block ' + (n + 1) + ', channel ' + j));
        }
        line.appendChild(figure('block ' + (n + 1) + ' (layer ' + b.layer + '): ' + c + ' of '
            + (b.channels || c) + ' channels, ' + h + '×' + w, canvases));
      });
      grid.appendChild(line);
    });
  }

  function relayout() {
    charts.forEach(function (c) {
      c.resize();
      fitLegend(c);
    });
  }
  window.addEventListener('resize', relayout);
  // A chart made before the page's layout settled (a busy machine, a slow style pass) may have measured its box as
  // empty; once everything has loaded each chart measures it again.
  window.addEventListener('load', relayout);
  document.body.setAttribute('data-charts-drawn', String(charts.length));
})();
