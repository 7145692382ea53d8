//! A fingerprint of a listing, so that a check can tell whether a document still shows
//! what the database says without keeping every field stored and comparing them one by one.

use crate::Listing;

/// FNV-1a, 64 bits: the same on every machine and build (the index outlives the process
/// that wrote it, and the check may run in another one).
struct Fnv(u64);

impl Fnv {
    fn bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }

    fn number(&mut self, n: u64) {
        self.bytes(&n.to_le_bytes());
    }

    /// Length first, so that `("ab", "c")` and `("a", "bc")` differ.
    fn text(&mut self, s: &str) {
        self.number(s.len() as u64);
        self.bytes(s.as_bytes());
    }

    fn texts(&mut self, list: &[String]) {
        self.number(list.len() as u64);
        for s in list {
            self.text(s);
        }
    }
}

impl Listing {
    /// Every field the index keeps of this listing (indexed, stored or faceted), hashed:
    /// two listings with the same digest look the same in search.
    pub fn digest(&self) -> u64 {
        // Destructured whole: a field added to `Listing` does not compile until it is
        // hashed here too.
        let Listing {
            product_id,
            city,
            title,
            brand,
            brand_en,
            model,
            unit,
            specs,
            barcode,
            category_path,
            category_name,
            category_names,
            reference_price,
            tags,
            min_price,
            max_price,
            offer_count,
            min_delivery_days,
            best_score,
            best_offer_id,
            best_supplier,
            supplier_sizes,
            in_stock,
            price_cap,
            image,
        } = self;
        let mut h = Fnv(0xcbf2_9ce4_8422_2325);
        h.number(*product_id);
        for text in [city, title, brand, brand_en, model, unit] {
            h.text(text);
        }
        // Each spec's name and value; none hashes as the empty text of the earlier layout.
        h.number(specs.len() as u64);
        for (name, value) in specs {
            h.text(name);
            h.text(value);
        }
        for text in [category_name, category_names, best_supplier] {
            h.text(text);
        }
        match barcode {
            Some(code) => {
                h.number(1);
                h.text(code);
            }
            None => h.number(0),
        }
        h.texts(category_path);
        h.texts(tags);
        h.texts(supplier_sizes);
        for n in [
            *reference_price,
            *min_price,
            *max_price,
            *offer_count,
            *min_delivery_days,
            *best_score,
            *best_offer_id,
            u64::from(*in_stock),
            *price_cap,
        ] {
            h.number(n);
        }
        // Only when there is one, so that digests written before pictures were indexed
        // still hold for products without.
        if let Some(file) = image {
            h.number(1);
            h.text(file);
        }
        h.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listing() -> Listing {
        Listing {
            product_id: 7,
            city: "310100".into(),
            title: "得力 A4 复印纸".into(),
            tags: vec!["energy_saving".into()],
            min_price: 2_580,
            in_stock: true,
            ..Listing::default()
        }
    }

    #[test]
    fn the_same_listing_has_the_same_digest_and_any_change_shows() {
        let a = listing();
        assert_eq!(a.digest(), listing().digest());
        let changes: [(&str, Listing); 6] = [
            (
                "lowest price",
                Listing {
                    min_price: 2_579,
                    ..listing()
                },
            ),
            (
                "stock",
                Listing {
                    in_stock: false,
                    ..listing()
                },
            ),
            (
                "title",
                Listing {
                    title: "得力 A4 复印纸 70g".into(),
                    ..listing()
                },
            ),
            (
                "a tag",
                Listing {
                    tags: vec![],
                    ..listing()
                },
            ),
            (
                "a spec",
                Listing {
                    specs: vec![("幅面".into(), "A4".into())],
                    ..listing()
                },
            ),
            (
                "barcode",
                Listing {
                    barcode: Some(String::new()),
                    ..listing()
                },
            ),
        ];
        for (what, changed) in changes {
            assert_ne!(a.digest(), changed.digest(), "{what} changes the digest");
        }
    }

    #[test]
    fn text_boundaries_count() {
        let a = Listing {
            brand: "ab".into(),
            model: "c".into(),
            ..listing()
        };
        let b = Listing {
            brand: "a".into(),
            model: "bc".into(),
            ..listing()
        };
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn the_digest_is_fixed_across_builds() {
        // The index keeps digests written by earlier builds: the function must not change
        // unnoticed (a change would make every document look stale once).
        assert_eq!(listing().digest(), 0x523b_c927_5168_c2d0);
    }
}
