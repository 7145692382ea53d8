//! 库存档位: how a public page shows an offer's stock, as the big malls do: 无货 at none,
//! 仅剩 N below ten, and above that the step of a 1-2-5 ladder it has reached (10+, 20+,
//! 50+, … 10000+). A public page changes only when the level does, so a checkout that
//! leaves an offer's level where it was changes no page and announces nothing: a popular
//! product's page stays in the edge cache through a day of orders instead of being purged
//! by each one. The checkout still takes and checks the exact stock.

/// The steps above the exact range, lowest first.
const STEPS: [i64; 10] = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];

/// An offer's stock as a public page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockLevel {
    /// Nothing left (or a negative count, which is nothing).
    Out,
    /// 1 to 9 left: shown exactly.
    Few(i64),
    /// At least this step of the ladder.
    AtLeast(i64),
}

impl StockLevel {
    pub fn of(stock: i64) -> StockLevel {
        if stock <= 0 {
            return StockLevel::Out;
        }
        match STEPS.iter().rev().find(|&&step| stock >= step) {
            Some(&step) => StockLevel::AtLeast(step),
            None => StockLevel::Few(stock),
        }
    }

    /// The most the level promises: what a buyer may count on ordering from a page that
    /// shows it.
    pub fn floor(self) -> i64 {
        match self {
            StockLevel::Out => 0,
            StockLevel::Few(n) | StockLevel::AtLeast(n) => n,
        }
    }

    /// Whether taking `taken` from `before` shows differently on a public page.
    pub fn moves(before: i64, taken: i64) -> bool {
        StockLevel::of(before) != StockLevel::of(before - taken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_ladder() {
        assert_eq!(StockLevel::of(0), StockLevel::Out);
        assert_eq!(StockLevel::of(-3), StockLevel::Out);
        assert_eq!(StockLevel::of(1), StockLevel::Few(1));
        assert_eq!(StockLevel::of(9), StockLevel::Few(9));
        assert_eq!(StockLevel::of(10), StockLevel::AtLeast(10));
        assert_eq!(StockLevel::of(19), StockLevel::AtLeast(10));
        assert_eq!(StockLevel::of(20), StockLevel::AtLeast(20));
        assert_eq!(StockLevel::of(499), StockLevel::AtLeast(200));
        assert_eq!(StockLevel::of(800), StockLevel::AtLeast(500));
        assert_eq!(StockLevel::of(10_000), StockLevel::AtLeast(10_000));
        assert_eq!(StockLevel::of(100_000_000), StockLevel::AtLeast(10_000));
    }

    #[test]
    fn floor_never_promises_more_than_there_is() {
        for stock in -2..25_000 {
            let floor = StockLevel::of(stock).floor();
            assert!(floor <= stock.max(0), "{stock} shows {floor}");
        }
    }

    #[test]
    fn only_a_step_crossed_moves_the_page() {
        assert!(!StockLevel::moves(800, 3), "500+ stays 500+");
        assert!(StockLevel::moves(501, 3), "500+ becomes 200+");
        assert!(StockLevel::moves(9, 1), "仅剩 9 becomes 仅剩 8");
        assert!(StockLevel::moves(2, 2), "sold out");
        assert!(!StockLevel::moves(100_000_000, 50));
    }
}
