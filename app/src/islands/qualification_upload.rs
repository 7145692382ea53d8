use crate::i18n::{Locale, Msg};
use leptos::prelude::*;

/// The kinds a supplier may upload, with their labels.
pub const KINDS: [(&str, Msg); 5] = [
    ("business_licence", Msg::QualBusinessLicence),
    ("industry_licence", Msg::QualIndustryLicence),
    ("quality_certificate", Msg::QualQualityCertificate),
    ("authorisation", Msg::QualAuthorisation),
    ("other", Msg::QualOther),
];

/// Uploads one qualification: its description and the document itself (sent as the
/// request body; the server tells its type by content).
#[island]
pub fn QualificationUpload(locale: Locale) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let kind = RwSignal::new("business_licence".to_string());
    let number = RwSignal::new(String::new());
    let issuer = RwSignal::new(String::new());
    let valid_until = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let upload = move |_| {
        #[cfg(feature = "hydrate")]
        {
            let file = file_input
                .get_untracked()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0));
            let query = format!(
                "/api/v1/qualifications?kind={}&number={}&issuer={}&valid_until={}",
                crate::format::urlencode(&kind.get_untracked()),
                crate::format::urlencode(&number.get_untracked()),
                crate::format::urlencode(&issuer.get_untracked()),
                crate::format::urlencode(&valid_until.get_untracked()),
            );
            leptos::task::spawn_local(async move {
                busy.set(true);
                error.set(None);
                let Some(file) = file else {
                    error.set(Some(locale.t(Msg::ErrFileType).to_string()));
                    busy.set(false);
                    return;
                };
                match super::api::send_bytes(&query, file.into()).await {
                    Ok(answer) if answer.is_ok() => super::api::reload(),
                    Ok(answer) => error.set(Some(answer.error_message())),
                    Err(_) => error.set(Some(locale.t(Msg::ErrInternal).to_string())),
                }
                busy.set(false);
            });
        }
    };
    view! {
        <div class="stack qualification-upload">
            <label for="q-kind">{t(Msg::QualificationKindLabel)}</label>
            <select id="q-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                {KINDS.into_iter().map(|(v, m)| view! { <option value=v>{t(m)}</option> }).collect_view()}
            </select>
            <label for="q-number">{t(Msg::CertificateNo)}</label>
            <input id="q-number" type="text" on:input=move |ev| number.set(event_target_value(&ev))/>
            <label for="q-issuer">{t(Msg::Issuer)}</label>
            <input id="q-issuer" type="text" on:input=move |ev| issuer.set(event_target_value(&ev))/>
            <label for="q-valid">{t(Msg::ValidUntil)}</label>
            <input id="q-valid" type="date" on:input=move |ev| valid_until.set(event_target_value(&ev))/>
            <label for="q-file">{t(Msg::FileLabel)}</label>
            <input id="q-file" type="file" accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png" node_ref=file_input/>
            {move || error.get().map(|e| view! { <p class="alert error" role="alert" id="q-error">{e}</p> })}
            <button type="button" class="primary" id="q-upload" disabled=move || busy.get() on:click=upload>{t(Msg::UploadQualification)}</button>
        </div>
    }
}
