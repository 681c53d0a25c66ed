import { registry } from "@web/core/registry";

import { CHART_COLORS, ChartJsField } from "@crm_value/chart_field/chart_field";

/**
 * A small chart of a Json field the server fills (the server renders every
 * word, in the reader's language):
 *   {labels: [...], levels: [names, bottom first] (optional),
 *    series: [{label, data, kind: "bar"|"line"|"step", axis, min, max,
 *              names: [per point, for the tooltip] (optional)}]}
 * A series on the "levels" axis is drawn against the level names.
 */
export class TrendChartField extends ChartJsField {
    static template = "crm_value.TrendChartField";

    chartConfig(value) {
        const levels = value.levels || [];
        const scales = {};
        const datasets = value.series.map((serie, index) => {
            const axis = serie.axis || "y";
            if (!scales[axis]) {
                scales[axis] = {
                    position: Object.keys(scales).length ? "right" : "left",
                    title: { display: true, text: serie.label },
                    grid: { drawOnChartArea: !Object.keys(scales).length },
                };
                if (axis === "levels") {
                    Object.assign(scales[axis], {
                        min: 0,
                        max: Math.max(levels.length - 1, 1),
                        ticks: { stepSize: 1, callback: (tick) => levels[tick] ?? "" },
                    });
                }
                if (serie.min !== undefined) {
                    scales[axis].min = serie.min;
                }
                if (serie.max !== undefined) {
                    scales[axis].max = serie.max;
                }
            }
            const color = CHART_COLORS[index % CHART_COLORS.length];
            return {
                type: serie.kind === "bar" ? "bar" : "line",
                label: serie.label,
                data: serie.data,
                yAxisID: axis,
                stepped: serie.kind === "step",
                backgroundColor: serie.kind === "bar" ? color + "99" : color,
                borderColor: color,
                pointRadius: 3,
                names: serie.names,
                order: serie.kind === "bar" ? 2 : 1,
                clip: false,
            };
        });
        return {
            type: "bar",
            data: { labels: value.labels, datasets },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales,
                plugins: {
                    legend: { position: "bottom" },
                    tooltip: {
                        callbacks: {
                            label: (item) => {
                                const names = item.dataset.names;
                                const shown = names ? names[item.dataIndex] : item.formattedValue;
                                return `${item.dataset.label}: ${shown}`;
                            },
                        },
                    },
                },
            },
        };
    }
}

export const trendChartField = {
    component: TrendChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_value_trend_chart", trendChartField);
