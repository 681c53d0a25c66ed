import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { tileProps } from "./tiles";

/**
 * The customer scorecard (客户平衡计分卡): the average score of each of the
 * four dimensions and the total, per tier and over every scored customer.
 */
export class ScorecardTile extends Component {
    static template = "crm_value.ScorecardTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    get rows() {
        return [...this.props.data.tiers, this.props.data.all];
    }

    score(value) {
        return value === null || value === undefined ? "–" : value.toFixed(1);
    }

    /** A background from red (0) through amber to green (100); none if no score. */
    cellStyle(value) {
        if (value === null || value === undefined) {
            return "";
        }
        const hue = Math.round((Math.max(0, Math.min(100, value)) * 120) / 100);
        return `background-color: hsl(${hue}, 65%, 88%);`;
    }
}

registry
    .category("crm_value_dashboard_tiles")
    .add("scorecard", { component: ScorecardTile, section: "scorecard", sequence: 40 });
