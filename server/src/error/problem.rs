//! What is wrong with one field of a request, with the values its message needs.
//!
//! Handlers and use cases say *what* went wrong; the words are chosen once, in the request's
//! language, when the answer is built ([`Problem::words`]). No handler reads the locale to
//! report a field, and no message is filled by string replacement.

use crate::tabular::TableError;
use emall_app::{Locale, Msg};
use emall_domain::calendar::YearFileError;
use emall_domain::import::RowError;
use emall_domain::intention::IntentionError;
use emall_domain::proposal::ProposalError;
use emall_domain::qualification::QualificationError;
use emall_domain::registration::FieldError;
use emall_domain::{Fen, UsccError};
use emall_store::dashboard::{ScopeError, MAX_MONTHS};
use emall_store::imports::RowRefusal;
use std::collections::BTreeMap;

/// One field's fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A fault whose message needs no value.
    Says(Msg),
    /// Text of `min` to `max` characters is needed.
    Length { min: usize, max: usize },
    /// Text longer than the request's bound for any text field.
    TooLong { max: usize },
    /// A registration rule (names, codes, accounts, the USCC).
    Registration(FieldError),
    /// An uploaded table past one of its limits, or unreadable.
    Table(TableError),
    /// An image with a side longer than `max` pixels.
    ImageSide { max: u32 },
    /// An order of `total` above the mall's cap for one order.
    OverCap { cap: Fen, total: Fen },
    /// A budget line with less left than a purchase needs.
    ShortBudget { available: Fen, needed: Fen },
    /// An invoice whose amount is not the order's total.
    InvoiceAmount { total: Fen },
    /// A city, by its name, the supplier is not registered to serve.
    CityNotServed { city: String },
    /// A city as written that names no region.
    UnknownCity { city: String },
    /// An imported row for the same product as an earlier line.
    DuplicateRow { first: usize },
    /// A fault of one line of an uploaded table.
    OnRow { line: usize, problem: Box<Problem> },
    /// A dashboard filter that does not parse.
    Scope(ScopeError),
    /// The faults of one line of a holiday calendar (or of the whole file).
    Calendar(Vec<YearFileError>),
}

impl Problem {
    /// The fault in the reader's language.
    pub fn words(&self, locale: Locale) -> String {
        let t = |m: Msg| locale.t(m).to_string();
        match self {
            Problem::Says(msg) => t(*msg),
            Problem::Length { min, max } => {
                locale.fill(Msg::ErrLength, &[("min", min), ("max", max)])
            }
            Problem::TooLong { max } => locale.fill(Msg::ErrTextTooLong, &[("max", max)]),
            Problem::Registration(e) => registration(locale, e),
            Problem::Table(e) => table(locale, *e),
            Problem::ImageSide { max } => locale.fill(Msg::ErrImageDimensions, &[("max", max)]),
            Problem::OverCap { cap, total } => locale.fill(
                Msg::ErrOverCap,
                &[
                    ("cap", cap),
                    ("total", total),
                    ("over", &Fen(total.get() - cap.get())),
                ],
            ),
            Problem::ShortBudget { available, needed } => locale.fill(
                Msg::ErrBudgetShort,
                &[
                    ("available", available),
                    ("needed", needed),
                    ("short", &Fen(needed.get() - available.get())),
                ],
            ),
            Problem::InvoiceAmount { total } => {
                locale.fill(Msg::ErrInvoiceAmount, &[("total", total)])
            }
            Problem::CityNotServed { city } => {
                locale.fill(Msg::ErrCityNotServed, &[("city", city)])
            }
            Problem::UnknownCity { city } => locale.fill(Msg::ErrUnknownCity, &[("city", city)]),
            Problem::DuplicateRow { first } => {
                locale.fill(Msg::ErrRowDuplicate, &[("line", first)])
            }
            Problem::OnRow { line, problem } => locale.fill(
                Msg::RowProblem,
                &[("line", line), ("problem", &problem.words(locale))],
            ),
            Problem::Scope(e) => scope(locale, e),
            Problem::Calendar(faults) => {
                let separator = match locale {
                    Locale::ZhCn => "；",
                    Locale::En => "; ",
                };
                faults
                    .iter()
                    .map(|f| crate::calendar::fault_text(locale, f))
                    .collect::<Vec<_>>()
                    .join(separator)
            }
        }
    }
}

fn registration(locale: Locale, e: &FieldError) -> String {
    let msg = match e {
        FieldError::Length { min, max } => {
            return Problem::Length {
                min: *min,
                max: *max,
            }
            .words(locale)
        }
        FieldError::Uscc(UsccError::Length(n)) => {
            return locale.fill(Msg::ErrUsccLength, &[("n", n)])
        }
        FieldError::Uscc(UsccError::Charset { position, found }) => {
            return locale.fill(
                Msg::ErrUsccCharset,
                &[("position", position), ("found", found)],
            )
        }
        FieldError::Uscc(UsccError::CheckCharacter { expected, found }) => {
            return locale.fill(
                Msg::ErrUsccCheck,
                &[("expected", expected), ("found", found)],
            )
        }
        FieldError::Uscc(UsccError::Division) => Msg::ErrUsccDivision,
        FieldError::Required => Msg::ErrRequired,
        FieldError::Phone => Msg::ErrPhone,
        FieldError::Email => Msg::ErrEmail,
        FieldError::City => Msg::ErrCity,
        FieldError::District => Msg::ErrDistrict,
        FieldError::Size => Msg::ErrSize,
        FieldError::SmeDeclaration => Msg::ErrSmeDeclaration,
        FieldError::BankAccount => Msg::ErrBankAccount,
        FieldError::AccountName => Msg::ErrAccountName,
        FieldError::Cities => Msg::ErrCities,
        FieldError::Username => Msg::ErrUsername,
        FieldError::Password => Msg::ErrPassword,
    };
    locale.t(msg).to_string()
}

fn table(locale: Locale, e: TableError) -> String {
    let (msg, max): (Msg, u64) = match e {
        TableError::Unreadable => return locale.t(Msg::ErrImportFile).to_string(),
        TableError::Rows(n) => (Msg::ErrFileRows, n as u64),
        TableError::Columns(n) => (Msg::ErrFileColumns, n as u64),
        TableError::CellChars(n) => (Msg::ErrFileCellChars, n as u64),
        TableError::TextChars(n) => (Msg::ErrFileTextChars, n as u64),
        TableError::Entries(n) => (Msg::ErrFileEntries, n as u64),
        TableError::Inflated(bytes) => (Msg::ErrFileInflated, bytes / (1024 * 1024)),
        TableError::Ratio(n) => (Msg::ErrFileRatio, n),
    };
    locale.fill(msg, &[("max", &max)])
}

fn scope(locale: Locale, e: &ScopeError) -> String {
    match e {
        ScopeError::Month => locale.t(Msg::ErrMonth).to_string(),
        ScopeError::Order => locale.t(Msg::ErrMonthOrder).to_string(),
        ScopeError::TooLong => locale.fill(Msg::ErrMonthSpan, &[("max", &MAX_MONTHS)]),
        ScopeError::Code(_) => locale.t(Msg::ErrScopeCode).to_string(),
    }
}

impl From<Msg> for Problem {
    fn from(msg: Msg) -> Problem {
        Problem::Says(msg)
    }
}

impl From<FieldError> for Problem {
    fn from(e: FieldError) -> Problem {
        Problem::Registration(e)
    }
}

impl From<TableError> for Problem {
    fn from(e: TableError) -> Problem {
        Problem::Table(e)
    }
}

impl From<ScopeError> for Problem {
    fn from(e: ScopeError) -> Problem {
        Problem::Scope(e)
    }
}

impl From<IntentionError> for Problem {
    fn from(e: IntentionError) -> Problem {
        match e {
            IntentionError::Text(max) => Problem::Length { min: 1, max },
            IntentionError::TooLong(max) => Problem::Length { min: 0, max },
            IntentionError::Budget => Problem::Says(Msg::InvalidPrice),
            IntentionError::Year => Problem::Says(Msg::ErrIntentionYear),
            IntentionError::Month => Problem::Says(Msg::ErrIntentionMonth),
            IntentionError::Category => Problem::Says(Msg::ErrIntentionCategory),
        }
    }
}

impl From<ProposalError> for Problem {
    fn from(e: ProposalError) -> Problem {
        match e {
            ProposalError::Text(max) => Problem::Length { min: 1, max },
            ProposalError::Price => Problem::Says(Msg::InvalidPrice),
            ProposalError::Category => Problem::Says(Msg::ErrCategory),
        }
    }
}

impl From<QualificationError> for Problem {
    fn from(e: QualificationError) -> Problem {
        Problem::Says(match e {
            QualificationError::Kind => Msg::ErrQualificationKind,
            QualificationError::Number => Msg::ErrQualificationNumber,
            QualificationError::Issuer => Msg::ErrQualificationIssuer,
            QualificationError::Date => Msg::ErrDate,
            QualificationError::Expired => Msg::ErrExpired,
        })
    }
}

impl From<RowError> for Problem {
    fn from(e: RowError) -> Problem {
        Problem::Says(match e {
            RowError::Product => Msg::ErrRowProduct,
            RowError::Price => Msg::InvalidPrice,
            RowError::Stock => Msg::ErrPositive,
            RowError::DeliveryDays => Msg::ErrDeliveryDays,
            RowError::Cities => Msg::ErrCities,
            RowError::Header => Msg::ErrImportHeader,
        })
    }
}

impl From<RowRefusal> for Problem {
    fn from(r: RowRefusal) -> Problem {
        match r {
            RowRefusal::UnknownProduct => Problem::Says(Msg::ErrNoProduct),
            RowRefusal::DuplicateInFile(first) => Problem::DuplicateRow { first },
            RowRefusal::UnknownCity(city) => Problem::UnknownCity { city },
            RowRefusal::CityNotServed(city) => Problem::CityNotServed { city },
            RowRefusal::BadTiers => Problem::Says(Msg::ErrTiers),
            RowRefusal::NotAdmitted => Problem::Says(Msg::ErrForbidden),
        }
    }
}

/// A request's faults by field, the first fault of each field kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(BTreeMap<String, Problem>);

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    /// Records `problem` for `field` unless the field already has a fault.
    pub fn add(&mut self, field: impl Into<String>, problem: impl Into<Problem>) {
        self.0.entry(field.into()).or_insert_with(|| problem.into());
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The faults, in the reader's language.
    pub fn words(&self, locale: Locale) -> BTreeMap<String, String> {
        self.0
            .iter()
            .map(|(field, problem)| (field.clone(), problem.words(locale)))
            .collect()
    }

    pub fn first(&self) -> Option<(&str, &Problem)> {
        self.0.iter().next().map(|(f, p)| (f.as_str(), p))
    }
}

impl<F: Into<String>, P: Into<Problem>> FromIterator<(F, P)> for Fields {
    fn from_iter<I: IntoIterator<Item = (F, P)>>(items: I) -> Fields {
        let mut fields = Fields::new();
        for (field, problem) in items {
            fields.add(field, problem);
        }
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fault_is_put_in_words_with_its_values_in_both_languages() {
        let cases = [
            (Problem::Length { min: 2, max: 30 }, "2", "30"),
            (
                Problem::OverCap {
                    cap: Fen(100_000_000),
                    total: Fen(100_050_000),
                },
                "1,000,000",
                "500.00",
            ),
            (
                Problem::ShortBudget {
                    available: Fen(100_000),
                    needed: Fen(250_000),
                },
                "1,000.00",
                "1,500.00",
            ),
            (
                Problem::OnRow {
                    line: 7,
                    problem: Box::new(Problem::DuplicateRow { first: 3 }),
                },
                "7",
                "3",
            ),
            (Problem::Scope(ScopeError::TooLong), "60", "60"),
            (Problem::Table(TableError::Rows(5000)), "5000", "5000"),
        ];
        for (problem, a, b) in cases {
            for locale in [Locale::ZhCn, Locale::En] {
                let words = problem.words(locale);
                assert!(
                    words.contains(a) && words.contains(b),
                    "{problem:?}: {words}"
                );
                assert!(!words.contains('{'), "a placeholder left in {words}");
            }
        }
        let zh = Problem::CityNotServed {
            city: "杭州市".into(),
        }
        .words(Locale::ZhCn);
        assert_eq!(zh, "您未登记在杭州市供货。");
        let en = Problem::OnRow {
            line: 4,
            problem: Box::new(Problem::Says(Msg::ErrTiers)),
        }
        .words(Locale::En);
        assert!(en.starts_with("Line 4: Tiers"), "{en}");
    }

    #[test]
    fn a_field_keeps_its_first_fault() {
        let fields: Fields = [
            ("name", Problem::Says(Msg::ErrRequired)),
            ("name", Problem::Length { min: 1, max: 5 }),
            ("city", Problem::Says(Msg::ErrCity)),
        ]
        .into_iter()
        .collect();
        let words = fields.words(Locale::En);
        assert_eq!(words.len(), 2);
        assert_eq!(words["name"], Locale::En.t(Msg::ErrRequired));
        assert_eq!(fields.first().map(|(f, _)| f), Some("city"));
    }
}
