import { loadBundle } from "@web/core/assets";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

const COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];

/**
 * A radar chart of a Json field the server fills (every word in the
 * reader's language):
 *   {labels: [...], max: 100, series: [{label, data: [number|null per label]}]}
 * A null point (no score on that axis) leaves a gap.
 */
export class RadarChartField extends Component {
    static template = "crm_value.RadarChartField";
    static props = { ...standardFieldProps };

    setup() {
        this.chart = null;
        this.canvasRef = useRef("canvas");
        onWillStart(async () => await loadBundle("web.chartjs_lib"));
        useEffect(
            () => {
                this.renderChart();
                return () => this.chart?.destroy();
            },
            () => [this.value]
        );
    }

    get value() {
        return this.props.record.data[this.props.name];
    }

    renderChart() {
        const value = this.value;
        if (!value || !this.canvasRef.el) {
            return;
        }
        const datasets = value.series.map((serie, index) => {
            const color = COLORS[index % COLORS.length];
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
        this.chart = new Chart(this.canvasRef.el, {
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
        });
    }
}

export const radarChartField = {
    component: RadarChartField,
    supportedTypes: ["json"],
};

registry.category("fields").add("crm_value_radar_chart", radarChartField);
