import { Component } from "@odoo/owl";
import { getColor, hexToRGBA } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { DashboardChart } from "../dashboard_chart";

const tiles = registry.category("crm_value_dashboard_tiles");

export const tileProps = {
    data: Object,
    meta: Object,
    openAction: Function,
};

/** The customer pyramid (客户金字塔), drawn as a pyramid, with the tier moves. */
export class PyramidTile extends Component {
    static template = "crm_value.PyramidTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    /** The clip path of level `index`: the pyramid's sides run on across levels. */
    levelStyle(index) {
        const count = this.props.data.tiers.length;
        const top = 24 + (76 * index) / count;
        const bottom = 24 + (76 * (index + 1)) / count;
        const left = (w) => (100 - w) / 2;
        const right = (w) => (100 + w) / 2;
        return `clip-path: polygon(${left(top)}% 0, ${right(top)}% 0, ${right(bottom)}% 100%, ${left(bottom)}% 100%);`;
    }

    get moveKinds() {
        return [
            { key: "up", icon: "fa-arrow-up", className: "text-success", title: _t("Upgraded") },
            { key: "down", icon: "fa-arrow-down", className: "text-danger", title: _t("Downgraded") },
            { key: "new", icon: "fa-plus", className: "text-info", title: _t("New") },
            { key: "lost", icon: "fa-minus", className: "text-muted", title: _t("Left the pyramid") },
        ];
    }
}

/** The Pareto curve: % of customers against % of profit, and the 80% line. */
export class ParetoTile extends Component {
    static template = "crm_value.ParetoTile";
    static components = { DashboardChart };
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    get headline() {
        const crossing = this.props.data.crossing;
        if (!crossing) {
            return "";
        }
        return _t("%(customers)s of customers make %(profit)s of profit", {
            customers: this.format.percent(crossing.customer_share),
            profit: this.format.percent(crossing.profit_share),
        });
    }

    chartConfig() {
        const { points, crossing, target_share: target } = this.props.data;
        const color = getColor(1);
        const percent = (value) => `${value}%`;
        const datasets = [
            {
                label: _t("Cumulative share of profit"),
                data: points.map(([x, y]) => ({ x, y })),
                borderColor: color,
                backgroundColor: hexToRGBA(color, 0.15),
                fill: true,
                pointRadius: 0,
                borderWidth: 2,
            },
            {
                label: _t("%s of profit", percent(target)),
                data: [
                    { x: 0, y: target },
                    { x: 100, y: target },
                ],
                borderColor: "#d9534f",
                borderDash: [6, 4],
                borderWidth: 1,
                pointRadius: 0,
                fill: false,
            },
        ];
        if (crossing) {
            datasets.push({
                label: this.headline,
                data: [
                    { x: crossing.customer_share, y: 0 },
                    { x: crossing.customer_share, y: crossing.profit_share },
                ],
                borderColor: "#6c757d",
                borderDash: [3, 3],
                borderWidth: 1,
                pointRadius: [0, 4],
                pointBackgroundColor: "#d9534f",
                fill: false,
            });
        }
        return {
            type: "line",
            data: { datasets },
            options: {
                maintainAspectRatio: false,
                animation: false,
                parsing: true,
                scales: {
                    x: {
                        type: "linear",
                        min: 0,
                        max: 100,
                        title: { display: true, text: _t("Share of customers") },
                        ticks: { callback: percent },
                    },
                    y: {
                        min: 0,
                        max: 100,
                        title: { display: true, text: _t("Share of profit") },
                        ticks: { callback: percent },
                    },
                },
                plugins: {
                    legend: { display: false },
                    tooltip: {
                        callbacks: {
                            label: (item) =>
                                `${this.format.percent(item.parsed.x, 1)} → ${this.format.percent(item.parsed.y, 1)}`,
                        },
                    },
                },
            },
        };
    }
}

/** The value matrix (客户价值细分) as a 2x2 grid: potential up, value right. */
export class MatrixTile extends Component {
    static template = "crm_value.MatrixTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    get grid() {
        const byKey = Object.fromEntries(this.props.data.quadrants.map((q) => [q.key, q]));
        return [
            [byKey.develop, byKey.strategic],
            [byKey.low, byKey.maintain],
        ];
    }
}

tiles.add("pyramid", { component: PyramidTile, section: "pyramid", sequence: 10 });
tiles.add("pareto", { component: ParetoTile, section: "pareto", sequence: 20 });
tiles.add("matrix", { component: MatrixTile, section: "matrix", sequence: 30 });
