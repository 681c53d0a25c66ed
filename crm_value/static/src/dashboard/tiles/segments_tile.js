import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { tileProps } from "./tiles";

/** The saved segments marked for the dashboard: customers (and profit, for
 * managers) at the last nightly count, and how they moved since an earlier
 * day's count; each figure opens the segment's customers. */
export class SegmentsTile extends Component {
    static template = "crm_value.SegmentsTile";
    static props = tileProps;

    get format() {
        return this.props.meta.format;
    }

    trendClass(value) {
        return value > 0 ? "text-success" : value < 0 ? "text-danger" : "text-muted";
    }

    trendIcon(value) {
        return value > 0 ? "fa-caret-up" : value < 0 ? "fa-caret-down" : "fa-minus";
    }
}

registry
    .category("crm_value_dashboard_tiles")
    .add("value_segments", { component: SegmentsTile, section: "value_segments", sequence: 40 });
