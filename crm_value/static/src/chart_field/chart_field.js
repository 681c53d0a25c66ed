import { loadBundle } from "@web/core/assets";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, onWillStart, useEffect, useRef } from "@odoo/owl";

export const CHART_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759"];

/**
 * A Chart.js chart of a Json field the server fills (every word in the
 * reader's language), drawn again when the value changes. Each chart field
 * gives its template (a div holding <canvas t-ref="canvas"/>) and
 * chartConfig(value): Chart.js's {type, data, options}.
 */
export class ChartJsField extends Component {
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
        this.chart = new Chart(this.canvasRef.el, this.chartConfig(value));
    }

    /** The Chart.js configuration of `value`. */
    chartConfig(value) {
        throw new Error(`${this.constructor.name} must define chartConfig(value)`);
    }
}
