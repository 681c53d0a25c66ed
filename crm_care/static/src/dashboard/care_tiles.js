import { Component } from "@odoo/owl";
import { getColor, hexToRGBA } from "@web/core/colors/colors";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { DashboardChart } from "@crm_value/dashboard/dashboard_chart";
import { tileProps } from "@crm_value/dashboard/tiles/tiles";

const tiles = registry.category("crm_value_dashboard_tiles");

/** NPS and CSAT per month, from the customers' survey answers. */
export class SatisfactionTile extends Component {
    static template = "crm_care.SatisfactionTile";
    static components = { DashboardChart };
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    get hasAnswers() {
        return this.props.data.nps.count > 0 || this.props.data.csat.count > 0;
    }

    formatScore(value, digits) {
        return value === null ? "—" : this.format.percent(value, digits).replace("%", "");
    }

    chartConfig() {
        const { months, nps, csat } = this.props.data;
        const npsColor = getColor(4);
        const csatColor = getColor(2);
        return {
            type: "line",
            data: {
                labels: months.map((m) => this.format.month(m)),
                datasets: [
                    {
                        label: _t("NPS"),
                        data: [...nps.values],
                        yAxisID: "nps",
                        borderColor: npsColor,
                        backgroundColor: hexToRGBA(npsColor, 0.2),
                        spanGaps: true,
                        pointRadius: 3,
                        borderWidth: 2,
                    },
                    {
                        label: _t("CSAT"),
                        data: [...csat.values],
                        yAxisID: "csat",
                        borderColor: csatColor,
                        backgroundColor: hexToRGBA(csatColor, 0.2),
                        spanGaps: true,
                        pointRadius: 3,
                        borderWidth: 2,
                    },
                ],
            },
            options: {
                maintainAspectRatio: false,
                animation: false,
                scales: {
                    nps: {
                        position: "left",
                        min: -100,
                        max: 100,
                        title: { display: true, text: _t("NPS") },
                    },
                    csat: {
                        position: "right",
                        min: 1,
                        max: 5,
                        grid: { drawOnChartArea: false },
                        title: { display: true, text: _t("CSAT (1-5)") },
                    },
                },
                plugins: { legend: { position: "bottom" } },
            },
        };
    }
}

/** Complaints open, late, received, and resolved to satisfaction. */
export class ComplaintsTile extends Component {
    static template = "crm_care.ComplaintsTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    get figures() {
        const data = this.props.data;
        return [
            { key: "open", label: _t("Open"), className: "" },
            { key: "late", label: _t("Late"), className: data.late.count ? "text-danger" : "" },
            { key: "received", label: _t("Received in the period"), className: "" },
            { key: "resolved", label: _t("Resolved in the period"), className: "" },
            { key: "satisfied", label: _t("Resolved to satisfaction"), className: "text-success" },
        ].map((figure) => ({ ...figure, ...data[figure.key] }));
    }
}

/** Care coverage of the Platinum and Gold customers. */
export class CoverageTile extends Component {
    static template = "crm_care.CoverageTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    share(part, tier) {
        return tier.count.count ? (100 * part.count) / tier.count.count : 0;
    }
}

tiles.add("care_satisfaction", {
    component: SatisfactionTile,
    section: "care_satisfaction",
    sequence: 70,
});
tiles.add("care_complaints", {
    component: ComplaintsTile,
    section: "care_complaints",
    sequence: 80,
});
tiles.add("care_coverage", { component: CoverageTile, section: "care_coverage", sequence: 90 });
