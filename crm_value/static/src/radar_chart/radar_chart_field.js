import { registry } from "@web/core/registry";

import { CHART_COLORS, ChartJsField } from "@crm_value/chart_field/chart_field";

/**
 * A radar chart of a Json field the server fills (every word in the
 * reader's language):
 *   {labels: [...], max: 100, series: [{label, data: [number|null per label]}]}
 * A null point (no score on that axis) leaves a gap.
 */
export class RadarChartField extends ChartJsField {
    static template = "crm_value.RadarChartField";

    chartConfig(value) {
        const datasets = value.series.map((serie, index) => {
            const color = CHART_COLORS[index % CHART_COLORS.length];
            return {
                label: serie.label,
                data: serie.data,
                borderColor: color,
                backgroundColor: color + (index ? "22" : "55"),
                borderDash: index ? [5, 4] : [],
                pointBackgroundColor: color,
                pointRadius: 3,
                spanGaps: false,
            };
        });
        return {
            type: "radar",
            data: { labels: value.labels, datasets },
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                scales: {
                    r: {
                        min: 0,
                        max: value.max || 100,
                        ticks: { stepSize: 25, backdropColor: "transparent" },
                    },
                },
                plugins: { legend: { position: "bottom" } },
            },
        };
    }
}

export const radarChartField = {
    component: RadarChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_value_radar_chart", radarChartField);
