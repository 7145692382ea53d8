//! The nine rules, each a pure function from facts to findings sorted by key, and the
//! small arithmetic and text folding they share.

use super::*;

/// 化整为零 (cf. Prozorro sas24-3-14-1). Per unit and category, in time order: the window
/// from an order to `split_window_days` after it fires when its orders, each under the cap,
/// sum over the cap. Greedy: once a window fires, the next starts after its last order, so
/// one cluster is one finding. An order at or over the cap is not a split and is ignored.
pub fn split_purchases(orders: &[OrderFact], t: &Thresholds) -> Vec<Finding> {
    let cap = i128::from(t.order_cap.get());
    let span = t.split_window_days.saturating_mul(DAY);
    let mut groups: BTreeMap<(i64, &str), Vec<&OrderFact>> = BTreeMap::new();
    for o in orders
        .iter()
        .filter(|o| o.total.get() > 0 && o.total < t.order_cap)
    {
        groups
            .entry((o.unit_id, o.category.as_str()))
            .or_default()
            .push(o);
    }
    let mut out = Vec::new();
    for ((unit, category), mut group) in groups {
        group.sort_by_key(|o| (o.created_at, o.id));
        let mut start = 0;
        while start < group.len() {
            let first = group[start].created_at;
            let len = group[start..]
                .iter()
                .take_while(|o| o.created_at.saturating_sub(first) <= span)
                .count()
                .max(1);
            let cluster = &group[start..start + len];
            let sum = sum_fen(cluster.iter().map(|o| o.total));
            if sum <= cap {
                start += 1;
                continue;
            }
            let mut f = finding(
                RuleKind::SplitPurchase,
                format!("split_purchase:u{unit}:{category}:o{}", cluster[0].id),
            );
            f.unit_id = Some(unit);
            f.category = Some(category.to_string());
            f.orders = ids(cluster.iter().map(|o| o.id));
            f.suppliers = ids(cluster.iter().map(|o| o.supplier_id));
            f.supplier_id = only(&f.suppliers);
            f.amount = Some(Fen(clamp(sum)));
            f.measure = measures([("count", f.orders.len() as i64), ("cap", t.order_cap.get())]);
            out.push(f);
            start += len;
        }
    }
    finish(out)
}

/// Orders piling up just under a threshold: per unit and named threshold, the orders of the
/// last `bunching_window_days` in `[threshold × (1 − band), threshold)`. The facts of one
/// order (one per category) add up to the order's total first. A threshold that is not
/// positive (a unit without an approval threshold) never fires.
pub fn bunching(
    orders: &[OrderFact],
    thresholds: &[(&'static str, Fen)],
    now: i64,
    t: &Thresholds,
) -> Vec<Finding> {
    let since = window_start(now, t.bunching_window_days);
    let band = i128::from(t.bunching_band_bp.clamp(0, 10_000));
    // (unit, order) → (total, supplier, created_at)
    let mut merged: BTreeMap<(i64, i64), (i128, i64, i64)> = BTreeMap::new();
    for o in orders {
        let e = merged
            .entry((o.unit_id, o.id))
            .or_insert((0, o.supplier_id, o.created_at));
        e.0 += i128::from(o.total.get());
        e.2 = e.2.min(o.created_at);
    }
    let mut out = Vec::new();
    for &(name, threshold) in thresholds {
        let limit = i128::from(threshold.get());
        if limit <= 0 {
            continue;
        }
        let mut by_unit: BTreeMap<i64, Vec<(i64, i128, i64)>> = BTreeMap::new();
        for (&(unit, id), &(total, supplier, at)) in &merged {
            let just_under = total < limit && total * WHOLE_BP >= limit * (WHOLE_BP - band);
            if just_under && since <= at && at <= now {
                by_unit.entry(unit).or_default().push((id, total, supplier));
            }
        }
        for (unit, hits) in by_unit {
            if hits.len() < t.bunching_min_orders.max(1) {
                continue;
            }
            let mut f = finding(RuleKind::Bunching, format!("bunching:u{unit}:{name}"));
            f.unit_id = Some(unit);
            f.orders = ids(hits.iter().map(|h| h.0));
            f.suppliers = ids(hits.iter().map(|h| h.2));
            f.supplier_id = only(&f.suppliers);
            f.amount = Some(Fen(clamp(hits.iter().map(|h| h.1).sum())));
            f.measure = measures([("threshold", threshold.get()), ("count", hits.len() as i64)]);
            out.push(f);
        }
    }
    finish(out)
}

/// An offer priced above its product's reference price. `amount` is the excess per unit.
pub fn above_reference(offers: &[OfferFact]) -> Vec<Finding> {
    let out = offers
        .iter()
        .filter(|o| o.reference.get() > 0 && o.price > o.reference)
        .map(|o| {
            let over = i128::from(o.price.get()) - i128::from(o.reference.get());
            let mut f = finding(
                RuleKind::AboveReference,
                format!("above_reference:f{}", o.offer_id),
            );
            f.supplier_id = Some(o.supplier_id);
            f.offers = vec![o.offer_id];
            f.suppliers = vec![o.supplier_id];
            f.amount = Some(Fen(clamp(over)));
            f.measure = measures([("over_bp", bp(over, o.reference.get().into()))]);
            f
        })
        .collect();
    finish(out)
}

/// More than `price_changes_max` changes of one offer in the last `price_change_window_days`.
/// A "change" to the same price is not one.
pub fn repeated_price_changes(changes: &[PriceChange], now: i64, t: &Thresholds) -> Vec<Finding> {
    let since = window_start(now, t.price_change_window_days);
    let mut by_offer: BTreeMap<i64, Vec<&PriceChange>> = BTreeMap::new();
    for c in changes {
        if c.old_price != c.new_price && since <= c.at && c.at <= now {
            by_offer.entry(c.offer_id).or_default().push(c);
        }
    }
    let mut out = Vec::new();
    for (offer, list) in by_offer {
        if list.len() <= t.price_changes_max {
            continue;
        }
        let mut f = finding(
            RuleKind::RepeatedPriceChanges,
            format!("repeated_price_changes:f{offer}"),
        );
        f.offers = vec![offer];
        f.suppliers = ids(list.iter().map(|c| c.supplier_id));
        f.supplier_id = only(&f.suppliers);
        f.measure = measures([("changes", list.len() as i64)]);
        out.push(f);
    }
    finish(out)
}

/// A raise (`new_price > old_price`) of an offer of a pool's product within
/// `raise_after_pool_days` after the pool closed. One finding per offer and pool; the
/// measures describe the largest raise. A change from a price that is not positive has no
/// base to measure against and is ignored.
pub fn raise_after_pool(
    changes: &[PriceChange],
    pools: &[PoolClose],
    t: &Thresholds,
) -> Vec<Finding> {
    let span = t.raise_after_pool_days.saturating_mul(DAY);
    let mut by_product: BTreeMap<i64, Vec<&PriceChange>> = BTreeMap::new();
    for c in changes
        .iter()
        .filter(|c| c.old_price.get() > 0 && c.new_price > c.old_price)
    {
        by_product.entry(c.product_id).or_default().push(c);
    }
    let mut out = Vec::new();
    for pool in pools {
        let mut by_offer: BTreeMap<i64, Vec<&PriceChange>> = BTreeMap::new();
        for &c in by_product.get(&pool.product_id).into_iter().flatten() {
            if c.at >= pool.closed_at && c.at.saturating_sub(pool.closed_at) <= span {
                by_offer.entry(c.offer_id).or_default().push(c);
            }
        }
        for (offer, raises) in by_offer {
            let raise_bp = |c: &PriceChange| {
                let raise = i128::from(c.new_price.get()) - i128::from(c.old_price.get());
                bp(raise, c.old_price.get().into())
            };
            // The largest raise; the earliest of equal ones.
            let Some(top) = raises.iter().max_by_key(|c| (raise_bp(c), Reverse(c.at))) else {
                continue;
            };
            let mut f = finding(
                RuleKind::RaiseAfterPool,
                format!("raise_after_pool:f{offer}:p{}", pool.pool_id),
            );
            f.offers = vec![offer];
            f.suppliers = ids(raises.iter().map(|c| c.supplier_id));
            f.supplier_id = only(&f.suppliers);
            f.measure = measures([
                ("raise_bp", raise_bp(top)),
                ("old_price", top.old_price.get()),
                ("new_price", top.new_price.get()),
                ("raises", raises.len() as i64),
            ]);
            out.push(f);
        }
    }
    finish(out)
}

/// Per unit and category over the last `dominant_window_days`: at least
/// `dominant_min_orders` orders and the top supplier's share of the spend at least
/// `dominant_share_bp` (ties between suppliers go to the lower id). The evidence orders are
/// the top supplier's; `suppliers` lists every supplier the unit bought from there.
pub fn dominant_supplier(orders: &[OrderFact], now: i64, t: &Thresholds) -> Vec<Finding> {
    let since = window_start(now, t.dominant_window_days);
    let mut groups: BTreeMap<(i64, &str), Vec<&OrderFact>> = BTreeMap::new();
    for o in orders {
        if o.total.get() > 0 && since <= o.created_at && o.created_at <= now {
            groups
                .entry((o.unit_id, o.category.as_str()))
                .or_default()
                .push(o);
        }
    }
    let mut out = Vec::new();
    for ((unit, category), group) in groups {
        let order_count = ids(group.iter().map(|o| o.id)).len();
        if order_count < t.dominant_min_orders.max(1) {
            continue;
        }
        let mut spend: BTreeMap<i64, i128> = BTreeMap::new();
        for o in &group {
            *spend.entry(o.supplier_id).or_default() += i128::from(o.total.get());
        }
        let total: i128 = spend.values().sum();
        let Some((&top, &top_spend)) = spend.iter().max_by_key(|(s, v)| (**v, Reverse(**s))) else {
            continue;
        };
        let share = i128::from(t.dominant_share_bp);
        if top_spend.saturating_mul(WHOLE_BP) < share.saturating_mul(total) {
            continue;
        }
        let mut f = finding(
            RuleKind::DominantSupplier,
            format!("dominant_supplier:u{unit}:{category}:s{top}"),
        );
        f.unit_id = Some(unit);
        f.supplier_id = Some(top);
        f.category = Some(category.to_string());
        f.orders = ids(group.iter().filter(|o| o.supplier_id == top).map(|o| o.id));
        f.suppliers = spend.keys().copied().collect();
        f.amount = Some(Fen(clamp(top_spend)));
        f.measure = measures([
            ("share_bp", bp(top_spend, total)),
            ("orders", order_count as i64),
            ("total", clamp(total)),
        ]);
        out.push(f);
    }
    finish(out)
}

/// Suppliers sharing a contact (cf. OCP Cardinal R044), compared after normalising: phone
/// (digits, country code 86 removed), e-mail (trimmed, lowercased, must hold an `@`), bank
/// account (digits) and address (spaces removed). Full-width ASCII is folded first; a value
/// that normalises to nothing never matches. One finding per field and shared value.
pub fn shared_contacts(suppliers: &[SupplierContact]) -> Vec<Finding> {
    type Normalise = fn(&SupplierContact) -> String;
    let fields: [(&str, Normalise); 4] = [
        ("phone", |s| phone_key(&s.phone)),
        ("email", |s| email_key(&s.email)),
        ("bank_account", |s| digits(&s.bank_account)),
        ("address", |s| address_key(&s.address)),
    ];
    let mut out = Vec::new();
    for (field, normalise) in fields {
        let mut by_value: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
        for s in suppliers {
            let value = normalise(s);
            if !value.is_empty() {
                by_value.entry(value).or_default().insert(s.supplier_id);
            }
        }
        for sharing in by_value.into_values().filter(|s| s.len() >= 2) {
            let suppliers: Vec<i64> = sharing.into_iter().collect();
            let mut f = finding(
                RuleKind::SharedContacts,
                format!("shared_contacts:{field}:s{}", suppliers[0]),
            );
            f.supplier_id = Some(suppliers[0]);
            f.measure = measures([("suppliers", suppliers.len() as i64)]);
            f.suppliers = suppliers;
            f.field = Some(field.to_string());
            out.push(f);
        }
    }
    finish(out)
}

/// An order confirmed after `confirm_by`, or not confirmed and `confirm_by` passed.
pub fn late_confirmation(orders: &[ConfirmFact], now: i64) -> Vec<Finding> {
    let out = orders
        .iter()
        .filter(|o| o.confirmed_at.unwrap_or(now) > o.confirm_by)
        .map(|o| {
            let late = o.confirmed_at.unwrap_or(now).saturating_sub(o.confirm_by);
            let mut f = finding(
                RuleKind::LateConfirmation,
                format!("late_confirmation:o{}", o.order_id),
            );
            f.unit_id = Some(o.unit_id);
            f.supplier_id = Some(o.supplier_id);
            f.orders = vec![o.order_id];
            f.suppliers = vec![o.supplier_id];
            f.measure = measures([
                ("late_secs", late),
                ("confirmed", i64::from(o.confirmed_at.is_some())),
            ]);
            f
        })
        .collect();
    finish(out)
}

/// A unit that paid more than `late_payment_days` after acceptance, or has not paid and
/// that time passed. `days` counts whole days from acceptance to payment (or to now).
pub fn late_payment(orders: &[PaymentFact], now: i64, t: &Thresholds) -> Vec<Finding> {
    let allowed = t.late_payment_days.saturating_mul(DAY);
    let out = orders
        .iter()
        .filter_map(|o| {
            let elapsed = o.paid_at.unwrap_or(now).saturating_sub(o.accepted_at);
            (elapsed > allowed).then_some((o, elapsed))
        })
        .map(|(o, elapsed)| {
            let mut f = finding(
                RuleKind::LatePayment,
                format!("late_payment:o{}", o.order_id),
            );
            f.unit_id = Some(o.unit_id);
            f.supplier_id = Some(o.supplier_id);
            f.orders = vec![o.order_id];
            f.suppliers = vec![o.supplier_id];
            f.amount = Some(o.total);
            f.measure = measures([
                ("days", elapsed / DAY),
                ("paid", i64::from(o.paid_at.is_some())),
            ]);
            f
        })
        .collect();
    finish(out)
}

fn finding(kind: RuleKind, key: String) -> Finding {
    Finding {
        kind,
        key,
        unit_id: None,
        supplier_id: None,
        category: None,
        orders: Vec::new(),
        offers: Vec::new(),
        suppliers: Vec::new(),
        amount: None,
        measure: Vec::new(),
        field: None,
    }
}

/// Sorted by key, one finding per key (the first, in input order, if the facts repeat).
fn finish(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.key.cmp(&b.key));
    findings.dedup_by(|a, b| a.key == b.key);
    findings
}

pub(super) fn measures<const N: usize>(pairs: [(&str, i64); N]) -> Vec<(String, i64)> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

fn ids(iter: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let mut v: Vec<i64> = iter.into_iter().collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn only(ids: &[i64]) -> Option<i64> {
    match ids {
        [one] => Some(*one),
        _ => None,
    }
}

fn window_start(now: i64, days: i64) -> i64 {
    now.saturating_sub(days.saturating_mul(DAY))
}

fn sum_fen(amounts: impl Iterator<Item = Fen>) -> i128 {
    amounts.map(|a| i128::from(a.get())).sum()
}

fn clamp(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// `part / whole` in basis points, rounded down; 0 for a whole that is not positive.
fn bp(part: i128, whole: i128) -> i64 {
    if whole <= 0 {
        return 0;
    }
    clamp(part.saturating_mul(WHOLE_BP) / whole)
}

/// Full-width ASCII (`Ａ`, `１`, `＠`) to ASCII, the ideographic space to a space.
fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn digits(s: &str) -> String {
    s.chars()
        .map(fold_width)
        .filter(char::is_ascii_digit)
        .collect()
}

/// `+86 138-0013-8000`, `0086 13800138000` and `13800138000` are one number; so are
/// `+86 10 8888 6666` and `010-88886666` (a landline gets back its trunk 0).
fn phone_key(s: &str) -> String {
    let all = digits(s);
    let national = all
        .strip_prefix("0086")
        .or_else(|| all.strip_prefix("86"))
        .filter(|rest| rest.len() >= 10);
    match national {
        Some(n) if n.len() == 11 && n.starts_with('1') => n.to_string(),
        Some(n) if !n.starts_with('0') => format!("0{n}"),
        Some(n) => n.to_string(),
        None => all,
    }
}

fn email_key(s: &str) -> String {
    let e: String = s
        .chars()
        .map(fold_width)
        .collect::<String>()
        .trim()
        .to_lowercase();
    if e.contains('@') {
        e
    } else {
        String::new()
    }
}

fn address_key(s: &str) -> String {
    s.chars()
        .map(fold_width)
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
