"""Invoices, credit notes, payments and reconciliations, as posted by Odoo.

No taxes: untaxed and total amounts are equal, and every move balances with
its receivable line. Payments are bank entries matched to the invoice (what
a reconciled bank statement line leaves), with partial and full reconciles.
"""

try:
    from .plan import DAYS
except ImportError:  # run as a script
    from plan import DAYS


class AccountingWriter:
    def _write_invoicing(self, flows, order, items, context, delivery):
        invoice = self._write_move(
            "out_invoice",
            flows["invoice_day"][order],
            context,
            [
                (
                    item,
                    item["qty"],
                    item["price"],
                    item["discount"],
                    item["subtotal"],
                    item["sol_id"],
                )
                for item in items
            ],  # fmt: skip
        )
        credits = self._write_credit_notes(
            flows, order, items, context, delivery, invoice
        )
        net = round(invoice["total"] - sum(c["total"] for c in credits), 2)
        partials = [
            self._reconcile(invoice, credit, credit["total"], credit["day"])
            for credit in credits
            if credit["total"]
        ]
        delay = flows["pay_delay"][order]
        pay_day = max([invoice["day"] + delay, *(c["day"] for c in credits)])
        paid = net > 0 and delay >= 0 and pay_day <= DAYS
        if paid:
            payment = self._write_payment(pay_day, context, net)
            partials.append(self._reconcile(invoice, payment, net, pay_day))
            credits.append(payment)
        self._settle(invoice, credits, partials, 0.0 if paid or net <= 0 else net)

    def _write_credit_notes(self, flows, order, items, context, delivery, invoice):
        """A credit note for returned goods, or a 10% price adjustment."""
        if delivery and "return" in delivery:
            day, item = delivery["return"]
            qty = item["returned"]
            amount = round(item["price"] * qty * (1 - item["discount"] / 100), 2)
            item["refunded"] = amount
            line = (item, qty, item["price"], item["discount"], amount, item["sol_id"])
        elif flows["adjusted"][order] and round(0.1 * items[0]["subtotal"], 2):
            day, item = flows["adjust_day"][order], items[0]
            amount = round(0.1 * item["subtotal"], 2)
            line = (item, 1, amount, 0.0, amount, None)
        else:
            return []
        credit = self._write_move("out_refund", day, context, [line])
        credit["move"]["reversed_entry_id"] = invoice["id"]
        credit["move"]["payment_state"] = "paid"
        return [credit]

    def _write_move(self, move_type, day, context, lines):
        """A posted customer invoice or credit note and its journal items."""
        sign = 1 if move_type == "out_invoice" else -1
        journal = self.m["sale_journal"]
        name, prefix = self.name("INV" if sign > 0 else "RINV", day)
        total = round(sum(line[4] for line in lines), 2)
        move_id = self.next_id("account_move")
        common = self._line_common(move_id, journal, name, day, context["commercial"])
        for sequence, (item, qty, price, discount, amount, sol_id) in enumerate(lines):
            line_id = self.add(
                "account_move_line",
                {
                    **common,
                    "sequence": 10 + sequence,
                    "display_type": "product",
                    "account_id": journal.default_account_id.id,
                    "product_id": self.product_ids[item["product"]],
                    "product_uom_id": 1,
                    "name": self.product_names[item["product"]],
                    "quantity": qty,
                    "price_unit": price,
                    "discount": discount,
                    "price_subtotal": amount,
                    "price_total": amount,
                    **self._amounts(-sign * amount),
                },
            )
            if sol_id:
                self.rows["sale_order_line_invoice_rel"].append(
                    {"invoice_line_id": line_id, "order_line_id": sol_id}
                )
        due = day + 30
        receivable = self.add(
            "account_move_line",
            {
                **common,
                "sequence": 0,
                "display_type": "payment_term",
                "account_id": self.m["receivable_id"],
                "name": name,
                "date_maturity": self.date(due),
                **self._amounts(sign * total),
            },
        )
        move = self.add_move(
            move_id, name, prefix, journal, day, move_type, context, total, sign
        )
        move.update(invoice_date_due=self.date(due), invoice_origin=context["so_name"])
        return {
            "id": move_id,
            "day": day,
            "total": total,
            "move": move,
            "receivable": self.rows["account_move_line"][-1],
            "receivable_id": receivable,
        }

    def _write_payment(self, day, context, amount):
        """A customer's bank payment: bank debit, receivable credit."""
        journal = self.m["bank_journal"]
        name, prefix = self.name(journal.code, day)
        move_id = self.next_id("account_move")
        common = self._line_common(move_id, journal, name, day, context["commercial"])
        self.add(
            "account_move_line",
            {
                **common,
                "sequence": 10,
                "display_type": "product",
                "account_id": journal.default_account_id.id,
                "name": f"Payment {context['so_name']}",
                **self._amounts(amount),
            },
        )
        receivable = self.add(
            "account_move_line",
            {
                **common,
                "sequence": 20,
                "display_type": "product",
                "account_id": self.m["receivable_id"],
                "name": f"Payment {context['so_name']}",
                **self._amounts(-amount),
            },
        )
        move = self.add_move(move_id, name, prefix, journal, day, "entry", context,
                             amount, 1)  # fmt: skip
        move["payment_state"] = "not_paid"
        move["amount_residual"] = move["amount_residual_signed"] = 0.0
        return {
            "id": move_id,
            "day": day,
            "total": amount,
            "move": move,
            "receivable": self.rows["account_move_line"][-1],
            "receivable_id": receivable,
        }

    def _line_common(self, move_id, journal, name, day, partner):
        return {
            "move_id": move_id,
            "journal_id": journal.id,
            "company_id": self.company_id,
            "company_currency_id": self.m["currency_id"],
            "currency_id": self.m["currency_id"],
            "move_name": name,
            "parent_state": "posted",
            "date": self.date(day),
            "invoice_date": self.date(day),
            "partner_id": partner,
            "reconciled": False,
            "tax_base_amount": 0.0,
            "is_imported": False,
            "tax_tag_invert": False,
            "is_downpayment": False,
            **self.audit(self.moment(day)),
        }

    @staticmethod
    def _amounts(balance):
        balance = round(balance, 2)
        return {
            "balance": balance,
            "amount_currency": balance,
            "debit": max(balance, 0.0),
            "credit": max(-balance, 0.0),
            "amount_residual": 0.0,
            "amount_residual_currency": 0.0,
        }

    def add_move(self, move_id, name, prefix, journal, day, move_type, context,
                 total, sign):  # fmt: skip
        invoice = move_type != "entry"
        signed = sign * total
        move = {
            "id": move_id,
            "name": name,
            "sequence_prefix": prefix,
            "sequence_number": int(name.rsplit("/", 1)[1]),
            "journal_id": journal.id,
            "company_id": self.company_id,
            "currency_id": self.m["currency_id"],
            "date": self.date(day),
            "invoice_date": self.date(day) if invoice else None,
            "state": "posted",
            "move_type": move_type,
            "auto_post": "no",
            "partner_id": context["partner"] if invoice else context["commercial"],
            "commercial_partner_id": context["commercial"],
            "partner_shipping_id": context["partner"] if invoice else None,
            "invoice_user_id": context["salesperson"] if invoice else None,
            "team_id": self.m["team_id"] if invoice else None,
            "payment_reference": name if invoice else None,
            "invoice_currency_rate": 1.0 if invoice else None,
            "amount_untaxed": total if invoice else 0.0,
            "amount_tax": 0.0,
            "amount_total": total,
            "amount_residual": total,
            "amount_untaxed_signed": signed if invoice else 0.0,
            "amount_untaxed_in_currency_signed": signed if invoice else 0.0,
            "amount_tax_signed": 0.0,
            "amount_total_signed": signed,
            "amount_total_in_currency_signed": signed,
            "amount_residual_signed": signed,
            "payment_state": "not_paid",
            "always_tax_exigible": False,
            "is_storno": False,
            "checked": True,
            "posted_before": True,
            "made_sequence_gap": False,
            "is_manually_modified": False,
            "is_move_sent": False,
            **self.audit(self.moment(day)),
        }
        self.rows["account_move"].append(move)
        return move

    def _reconcile(self, invoice, other, amount, day):
        return self.add(
            "account_partial_reconcile",
            {
                "debit_move_id": invoice["receivable_id"],
                "credit_move_id": other["receivable_id"],
                "amount": amount,
                "debit_amount_currency": amount,
                "credit_amount_currency": amount,
                "debit_currency_id": self.m["currency_id"],
                "credit_currency_id": self.m["currency_id"],
                "company_id": self.company_id,
                "max_date": self.date(max(invoice["day"], day)),
                **self.audit(self.moment(max(invoice["day"], day))),
            },
        )

    def _settle(self, invoice, others, partials, residual):
        """Residuals, reconciled flags, matching numbers and payment state."""
        lines = [invoice["receivable"], *(o["receivable"] for o in others)]
        for other in others:
            other["receivable"]["reconciled"] = True
        if not residual:
            matching = None
            if partials:
                full = self.add("account_full_reconcile", self.audit())
                matching = str(full)
                for line in lines:
                    line["full_reconcile_id"] = full
                for partial in self.rows["account_partial_reconcile"][-len(partials) :]:
                    partial["full_reconcile_id"] = full
            invoice["receivable"]["reconciled"] = True
            state = "paid"
        else:
            sign = invoice["receivable"]["balance"] / abs(
                invoice["receivable"]["balance"]
            )
            invoice["receivable"]["amount_residual"] = sign * residual
            invoice["receivable"]["amount_residual_currency"] = sign * residual
            matching = f"P{min(partials)}" if partials else None
            state = "partial" if partials else "not_paid"
        for line in lines:
            line["matching_number"] = matching if partials else None
        for credit in others:
            if credit["move"]["move_type"] == "out_refund":
                credit["move"]["amount_residual"] = 0.0
                credit["move"]["amount_residual_signed"] = 0.0
        move = invoice["move"]
        move["payment_state"] = state
        move["amount_residual"] = move["amount_residual_signed"] = residual
