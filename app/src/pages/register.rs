use super::page_heading;
use crate::format;
use crate::i18n::{Locale, Msg};
use crate::islands::{
    Choice, CreditForm, NoteDecision, QualificationUpload, RegistrationForm, ReviewForm,
    StaffPanel, QUALIFICATION_KINDS,
};
use crate::model::{ApplicationView, Check, RegisterPage, ReviewPage, Verdict};
use leptos::prelude::*;

/// 供应商入驻: the registration wizard, or the supplier's application sent back for changes.
pub fn register(locale: Locale, page: RegisterPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let resubmit = page.resubmit.is_some();
    let (initial, province) = page
        .resubmit
        .as_ref()
        .map(|a| (a.company.clone(), a.province.clone()))
        .unwrap_or_default();
    let editable = page
        .resubmit
        .as_ref()
        .is_none_or(|a| matches!(a.review_state.as_str(), "changes_requested" | "rejected"));
    view! {
        <div class="page-heading">
            <h1>{if resubmit { t(Msg::MyApplication) } else { t(Msg::RegisterTitle) }}</h1>
            <p class="subtle">{t(Msg::RegisterIntro)}</p>
        </div>
        {page.resubmit.clone().map(|a| application_status(locale, &a))}
        <section class="panel">
            {if editable {
                view! {
                    <RegistrationForm locale=locale provinces=page.provinces mall_cities=page.mall_cities
                        initial=initial initial_province=province resubmit=resubmit/>
                }.into_any()
            } else {
                page.resubmit.clone().map(|a| application_facts(locale, &a)).into_any()
            }}
        </section>
        {page.resubmit.map(|a| view! {
            <section class="panel" aria-labelledby="qualifications-heading">
                <h2 id="qualifications-heading">{t(Msg::QualificationsHeading)}</h2>
                {qualifications_table(locale, &a, None)}
                <QualificationUpload locale=locale/>
            </section>
        })}
        {page.staff.map(|staff| view! {
            <section class="panel" aria-labelledby="staff-heading">
                <h2 id="staff-heading">{t(Msg::StaffHeading)}</h2>
                <StaffPanel locale=locale section=staff/>
            </section>
        })}
    }
    .into_any()
}

/// A supplier's qualifications with links to download each document.
/// The application's documents; `check` is the CSRF token of the operator's check forms.
fn qualifications_table(locale: Locale, a: &ApplicationView, check: Option<&str>) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let kind = move |k: &str| {
        QUALIFICATION_KINDS
            .iter()
            .find(|(v, _)| *v == k)
            .map(|(_, m)| t(*m))
            .unwrap_or(k)
            .to_string()
    };
    let state = move |s: &str| match s {
        "valid" => t(Msg::QualValid),
        "lapsed" => t(Msg::QualLapsed),
        _ => t(Msg::QualSuperseded),
    };
    let checked = move |s: &str| match s {
        "verified" => t(Msg::QualVerified),
        "flagged" => t(Msg::QualFlagged),
        _ => t(Msg::QualUnchecked),
    };
    view! {
        <div class="table-scroll" tabindex="0"><table class="data" id="qualifications">
            <thead><tr>
                <th scope="col">{t(Msg::QualificationKindLabel)}</th>
                <th scope="col">{t(Msg::CertificateNo)}</th>
                <th scope="col">{t(Msg::Issuer)}</th>
                <th scope="col">{t(Msg::ValidUntil)}</th>
                <th scope="col">{t(Msg::Status)}</th>
                <th scope="col">{t(Msg::QualCheck)}</th>
                <th scope="col"></th>
            </tr></thead>
            <tbody>
                {a.qualifications.iter().map(|q| view! {
                    <tr>
                        <td>{kind(&q.kind)}</td>
                        <td class="mono">{q.number.clone()}</td>
                        <td>{q.issuer.clone()}</td>
                        <td>{q.valid_until.clone().unwrap_or_else(|| t(Msg::NoLimit).to_string())}</td>
                        <td><span class=format!("status status-q-{}", q.state)>{state(&q.state)}</span></td>
                        <td><span class=format!("status status-check-{}", q.check_state)>{checked(&q.check_state)}</span>
                            {(!q.check_note.is_empty()).then(|| view! { <p class="subtle">{q.check_note.clone()}</p> })}
                            {check.filter(|_| q.state != "superseded").map(|csrf_token| view! { <NoteDecision locale=locale subject=q.id csrf_token=csrf_token.to_string()
                                note_label=t(Msg::ReviewReasonLabel).to_string() id=None
                                choices=vec![Choice::new(Verdict::Qualification(Check::Verify), t(Msg::Verify)),
                                             Choice::new(Verdict::Qualification(Check::Flag), t(Msg::FlagIt))]/> })}</td>
                        <td><a href=format!("/api/v1/qualifications/{}/file", q.id) download="">{t(Msg::Download)}</a></td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

fn application_status(locale: Locale, a: &ApplicationView) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    view! {
        <p id="review-state"><span class=format!("status status-{}", a.review_state)>{t(format::review_state(&a.review_state))}</span></p>
        {(!a.review_reason.is_empty()).then(|| view! {
            <p class="alert warning" id="review-reason">{t(Msg::ReviewReasonLabel)}": "{a.review_reason.clone()}</p>
        })}
    }
    .into_any()
}

/// An application's facts (the operator reads them to decide).
fn application_facts(locale: Locale, a: &ApplicationView) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let c = &a.company;
    let rows = [
        (Msg::CompanyName, c.company_name.clone()),
        (Msg::UsccLabel, c.uscc.clone()),
        (Msg::LegalRep, c.legal_rep.clone()),
        (
            Msg::EnterpriseSize,
            t(format::supplier_size(&c.size)).to_string(),
        ),
        (
            Msg::RegisteredCity,
            format!("{} {}", a.city_name, a.district_name),
        ),
        (Msg::RegisteredAddress, c.address.clone()),
        (Msg::ContactPerson, c.contact.clone()),
        (Msg::PhoneLabel, c.phone.clone()),
        (Msg::EmailLabel, c.email.clone()),
        (Msg::BankName, c.bank_name.clone()),
        (Msg::BankAccount, c.bank_account.clone()),
        (Msg::CitiesToServe, a.served_city_names.join("、")),
    ];
    view! {
        <dl class="facts" id="application">
            {rows.into_iter().map(|(label, value)| view! { <div><dt>{t(label)}</dt><dd>{value}</dd></div> }).collect_view()}
            {c.sme_declared.then(|| view! { <div><dt>{t(Msg::SmeShare)}</dt><dd>{t(Msg::SmeDeclarationLabel)}</dd></div> })}
        </dl>
    }
    .into_any()
}

/// The operator's review of one application, with its history.
pub fn review(locale: Locale, page: ReviewPage) -> AnyView {
    let t = move |m: Msg| locale.t(m);
    let a = page.application;
    view! {
        {page_heading(t(Msg::ReviewTitle), a.company.company_name.clone())}
        {application_status(locale, &a)}
        <div class="grid-2">
            <section class="panel">
                {application_facts(locale, &a)}
                <h2>{t(Msg::QualificationsHeading)}</h2>
                {qualifications_table(locale, &a, page.can_decide.then_some(page.csrf_token.as_str()))}
            </section>
            <section class="panel" aria-labelledby="history-heading">
                <h2 id="history-heading">{t(Msg::ReviewHistory)}</h2>
                <ol class="timeline">
                    {a.history.iter().map(|(decision, reason, by, at)| view! {
                        <li><time>{format::time(at)}</time><strong>{t(format::review_decision(decision))}</strong>
                            <span class="subtle">{by.clone()}</span>
                            {(!reason.is_empty()).then(|| view! { <p class="note">{reason.clone()}</p> })}</li>
                    }).collect_view()}
                </ol>
                {page.can_decide.then(|| view! { <ReviewForm locale=locale supplier_id=a.supplier_id csrf_token=page.csrf_token.clone()/> })}
            </section>
        </div>
        <section class="panel" aria-labelledby="credit-heading">
            <h2 id="credit-heading">{t(Msg::CreditRecord)}</h2>
            {super::supplier::credit_table(locale, &page.credit, if page.can_record_credit {
                super::supplier::CreditActions::Decide(&page.csrf_token) } else { super::supplier::CreditActions::None })}
            {page.can_record_credit.then(|| view! {
                <CreditForm locale=locale supplier_id=a.supplier_id alert_id=None orders=Vec::new()
                    csrf_token=page.csrf_token.clone()/>
            })}
        </section>
    }
    .into_any()
}
