//! 您要找的是不是: the brand a query that found nothing most likely misspells ("lenvo" →
//! 联想 Lenovo), by edit distance over the catalogue's brand names in Latin letters.

/// The brand `query` misspells, if one is close enough: one edit for a name of up to four
/// letters, two for a longer one (a letter added, dropped, changed, or two swapped), never
/// the query itself. `brands`: `(name, name in Latin letters)`.
pub fn brand<'a>(query: &str, brands: &'a [(String, String)]) -> Option<&'a (String, String)> {
    let q = query.trim().to_lowercase();
    let latin = q
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-');
    if !latin || q.chars().filter(char::is_ascii_alphabetic).count() < 3 {
        return None;
    }
    brands
        .iter()
        .filter_map(|b| {
            let name = b.1.trim().to_lowercase();
            let allowed = if name.chars().count() <= 4 { 1 } else { 2 };
            let d = distance(&q, &name);
            (d > 0 && d <= allowed).then_some((d, b))
        })
        .min_by_key(|&(d, _)| d)
        .map(|(_, b)| b)
}

/// Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbours, each one edit.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for j in 0..=b.len() {
        rows[0][j] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brands() -> Vec<(String, String)> {
        [
            ("联想", "Lenovo"),
            ("得力", "Deli"),
            ("惠普", "HP"),
            ("华为", "Huawei"),
            ("佳能", "Canon"),
        ]
        .into_iter()
        .map(|(zh, en)| (zh.to_string(), en.to_string()))
        .collect()
    }

    #[test]
    fn misspelt_brands_are_found() {
        let b = brands();
        assert_eq!(brand("lenvo", &b).map(|x| x.0.as_str()), Some("联想"));
        assert_eq!(brand("Lenvoo", &b).map(|x| x.0.as_str()), Some("联想"));
        assert_eq!(
            brand("huawie", &b).map(|x| x.0.as_str()),
            Some("华为"),
            "a swap"
        );
        assert_eq!(brand("delli", &b).map(|x| x.0.as_str()), Some("得力"));
    }

    #[test]
    fn nothing_close_or_not_latin_suggests_nothing() {
        let b = brands();
        assert_eq!(brand("lenovo", &b), None, "the name itself");
        assert_eq!(brand("zzqxj", &b), None);
        assert_eq!(brand("hq", &b), None, "too short to guess");
        assert_eq!(brand("联相", &b), None);
        assert_eq!(brand("canonical", &b), None, "too far");
    }

    #[test]
    fn distance_counts_each_edit_once() {
        assert_eq!(distance("lenvo", "lenovo"), 1);
        assert_eq!(distance("huawie", "huawei"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
