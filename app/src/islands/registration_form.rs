use crate::i18n::{Locale, Msg};
use crate::model::CityOption;
use emall_domain::registration::CompanyInput;
use leptos::prelude::*;
use std::collections::BTreeMap;

type FieldGet = fn(&CompanyInput) -> &String;
type FieldSet = fn(&mut CompanyInput) -> &mut String;

/// Which wizard step shows a field.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn step_of(field: &str) -> u8 {
    match field {
        "company_name" | "uscc" | "legal_rep" | "size" | "sme_declared" | "city" | "district"
        | "address" => 1,
        "contact" | "phone" | "email" | "bank_name" | "bank_account" | "bank_account_name" => 2,
        _ => 3,
    }
}

/// 供应商入驻 in three steps; the server checks everything at the end and the form jumps to
/// the first step with an error, each shown under its field. Also corrects and resubmits an
/// application the operator sent back.
#[island]
pub fn RegistrationForm(
    locale: Locale,
    provinces: Vec<CityOption>,
    mall_cities: Vec<CityOption>,
    initial: CompanyInput,
    initial_province: String,
    resubmit: bool,
) -> impl IntoView {
    let t = move |m: Msg| locale.t(m);
    let wizard = Wizard::new(initial);
    let Wizard {
        form, step, busy, general, ..
    } = wizard;
    let province = RwSignal::new(initial_province);
    let cities = RwSignal::new(Vec::<CityOption>::new());
    let districts = RwSignal::new(Vec::<CityOption>::new());

    follow_regions(province, form, cities, districts);

    let error_of = move |name: &'static str| wizard.error_of(name);
    let text = move |name: &'static str,
                     label: Msg,
                     get: FieldGet,
                     set: FieldSet,
                     kind: &'static str| {
        let id = format!("reg-{name}");
        let err_id = format!("reg-{name}-error");
        let invalid = move || wizard.errors.with(|e| e.contains_key(name)).then_some("true");
        view! {
            <label for=id.clone()>{t(label)}</label>
            <input id=id type=kind autocomplete="off" aria-invalid=invalid aria-describedby=err_id.clone()
                prop:value=move || form.with(|f| get(f).clone())
                on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| *set(f) = v); }/>
            <p class="field-error" id=err_id>{error_of(name)}</p>
        }
    };
    let select = move |name, label, options, value, on_pick| {
        region_select(locale, wizard, name, label, options, value, on_pick)
    };
    let provinces = Signal::stored(provinces);
    let sizes = [
        ("large", Msg::SizeLarge),
        ("medium", Msg::SizeMedium),
        ("small", Msg::SizeSmall),
        ("micro", Msg::SizeMicro),
    ];

    let submit = move |_| wizard.submit(locale, resubmit);

    view! {
        <div class="wizard" id="registration">
            <ol class="steps">
                {[(1u8, Msg::StepCompany), (2, Msg::StepContact), (3, Msg::StepCities)].into_iter().map(|(n, m)| view! {
                    <li class:current=move || step.get() == n>{n}". "{t(m)}</li>
                }).collect_view()}
            </ol>
            <fieldset class="stack" hidden=move || step.get() != 1>
                <legend>{t(Msg::StepCompany)}</legend>
                {text("company_name", Msg::CompanyName, |f| &f.company_name, |f| &mut f.company_name, "text")}
                {text("uscc", Msg::UsccLabel, |f| &f.uscc, |f| &mut f.uscc, "text")}
                {text("legal_rep", Msg::LegalRep, |f| &f.legal_rep, |f| &mut f.legal_rep, "text")}
                <label for="reg-size">{t(Msg::EnterpriseSize)}</label>
                <select id="reg-size" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.size = v); }>
                    <option value="">{t(Msg::ChooseOne)}</option>
                    {sizes.into_iter().map(|(v, m)| view! {
                        <option value=v selected=move || form.with(|f| f.size == v)>{t(m)}</option>
                    }).collect_view()}
                </select>
                <p class="field-error">{error_of("size")}</p>
                <label class="check">
                    <input type="checkbox" id="reg-sme_declared" prop:checked=move || form.with(|f| f.sme_declared)
                        on:change=move |ev| { let v = event_target_checked(&ev); form.update(|f| f.sme_declared = v); }/>
                    {t(Msg::SmeDeclarationLabel)}
                </label>
                <p class="field-error">{error_of("sme_declared")}</p>
                {select("province", Msg::Province, provinces, province.into(),
                    Callback::new(move |v: String| { province.set(v); form.update(|f| { f.city.clear(); f.district.clear(); }); }))}
                {select("city", Msg::RegisteredCity, cities.into(), Signal::derive(move || form.with(|f| f.city.clone())),
                    Callback::new(move |v: String| form.update(|f| { f.city = v; f.district.clear(); })))}
                {select("district", Msg::District, districts.into(), Signal::derive(move || form.with(|f| f.district.clone())),
                    Callback::new(move |v: String| form.update(|f| f.district = v)))}
                {text("address", Msg::RegisteredAddress, |f| &f.address, |f| &mut f.address, "text")}
            </fieldset>
            <fieldset class="stack" hidden=move || step.get() != 2>
                <legend>{t(Msg::StepContact)}</legend>
                {text("contact", Msg::ContactPerson, |f| &f.contact, |f| &mut f.contact, "text")}
                {text("phone", Msg::PhoneLabel, |f| &f.phone, |f| &mut f.phone, "tel")}
                {text("email", Msg::EmailLabel, |f| &f.email, |f| &mut f.email, "email")}
                {text("bank_name", Msg::BankName, |f| &f.bank_name, |f| &mut f.bank_name, "text")}
                {text("bank_account", Msg::BankAccount, |f| &f.bank_account, |f| &mut f.bank_account, "text")}
                {text("bank_account_name", Msg::BankAccountName, |f| &f.bank_account_name, |f| &mut f.bank_account_name, "text")}
            </fieldset>
            <fieldset class="stack" hidden=move || step.get() != 3>
                <legend>{t(Msg::StepCities)}</legend>
                <p>{t(Msg::CitiesToServe)}</p>
                {city_choices(mall_cities, form)}
                <p class="field-error">{error_of("cities")}</p>
                {(!resubmit).then(|| view! {
                    <label for="reg-username">{t(Msg::Username)}</label>
                    <input id="reg-username" type="text" autocomplete="username" on:input=move |ev| wizard.username.set(event_target_value(&ev))/>
                    <p class="field-error">{error_of("username")}</p>
                    <label for="reg-password">{t(Msg::Password)}</label>
                    <input id="reg-password" type="password" autocomplete="new-password" on:input=move |ev| wizard.password.set(event_target_value(&ev))/>
                    <p class="field-error">{error_of("password")}</p>
                })}
            </fieldset>
            {move || general.get().map(|e| view! { <p class="alert error" role="alert">{e}</p> })}
            <div class="button-row">
                <button type="button" class="secondary" hidden=move || step.get() == 1
                    on:click=move |_| step.update(|s| *s = s.saturating_sub(1).max(1))>{t(Msg::BackButton)}</button>
                <button type="button" class="primary" id="reg-next" hidden=move || step.get() == 3
                    on:click=move |_| step.update(|s| *s = (*s + 1).min(3))>{t(Msg::NextStepButton)}</button>
                <button type="button" class="primary" id="reg-submit" hidden=move || step.get() != 3
                    disabled=move || busy.get() on:click=submit>
                    {if resubmit { t(Msg::ResubmitApplication) } else { t(Msg::SubmitApplication) }}</button>
            </div>
        </div>
    }
}

/// The region pickers follow each other: province → cities, city → districts.
fn follow_regions(
    province: RwSignal<String>,
    form: RwSignal<CompanyInput>,
    cities: RwSignal<Vec<CityOption>>,
    districts: RwSignal<Vec<CityOption>>,
) {
Effect::new(move |_| {
    let p = province.get();
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        let answer = super::api::get(&format!("/api/v1/regions?parent={p}")).await;
        if let Some(list) = answer.ok().and_then(|a| a.json()) {
            cities.set(list);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (p, cities);
});
Effect::new(move |_| {
    let c = form.with(|f| f.city.clone());
    #[cfg(feature = "hydrate")]
    leptos::task::spawn_local(async move {
        if c.is_empty() {
            districts.set(Vec::new());
        } else {
            let answer = super::api::get(&format!("/api/v1/regions?parent={c}")).await;
            if let Some(list) = answer.ok().and_then(|a| a.json()) {
                districts.set(list);
            }
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (c, districts);
});
}

/// The wizard's state: the company as typed, the owner's account, where it stands.
#[derive(Clone, Copy)]
struct Wizard {
    form: RwSignal<CompanyInput>,
    username: RwSignal<String>,
    password: RwSignal<String>,
    /// Field errors from the server, by field.
    errors: RwSignal<BTreeMap<String, String>>,
    /// An error of no field.
    general: RwSignal<Option<String>>,
    step: RwSignal<u8>,
    busy: RwSignal<bool>,
}

impl Wizard {
    fn new(initial: CompanyInput) -> Wizard {
        Wizard {
            form: RwSignal::new(initial),
            username: RwSignal::new(String::new()),
            password: RwSignal::new(String::new()),
            errors: RwSignal::new(BTreeMap::new()),
            general: RwSignal::new(None),
            step: RwSignal::new(1),
            busy: RwSignal::new(false),
        }
    }

    /// The server's message for `name`, if it has one.
    fn error_of(self, name: &'static str) -> impl Fn() -> Option<String> + Copy {
        move || self.errors.with(|e| e.get(name).cloned())
    }

    /// Sends the application (or the corrected one); signs the new owner in and goes to the
    /// workbench, or shows each error under its field on the first step that has one.
    fn submit(self, locale: Locale, resubmit: bool) {
        let company = self.form.get_untracked();
        let (user, pass) = (self.username.get_untracked(), self.password.get_untracked());
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            use super::Method;
            use crate::model::{ErrorBody, LoginRequest, RegistrationRequest};
            self.busy.set(true);
            self.general.set(None);
            let result = if resubmit {
                let url = "/api/v1/suppliers/me/application";
                super::api::send(Method::Put, url, &company, &[]).await
            } else {
                let body = RegistrationRequest {
                    company,
                    username: user.clone(),
                    password: pass.clone(),
                };
                let url = "/api/v1/supplier-registrations";
                super::api::send(Method::Post, url, &body, &[]).await
            };
            match result {
                Ok(answer) if answer.is_ok() => {
                    if !resubmit {
                        let login = LoginRequest {
                            username: user,
                            password: pass,
                        };
                        let url = "/api/v1/auth/login";
                        let _ = super::api::send(Method::Post, url, &login, &[]).await;
                    }
                    super::api::go(&locale.href("/workbench"));
                }
                Ok(answer) => {
                    let fields: BTreeMap<String, String> = answer
                        .json::<ErrorBody>()
                        .and_then(|e| e.error.fields)
                        .unwrap_or_default();
                    if let Some(first) = fields.keys().map(|f| step_of(f)).min() {
                        self.step.set(first);
                    } else {
                        self.general.set(Some(answer.error_message()));
                    }
                    self.errors.set(fields);
                }
                Err(_) => self.general.set(Some(locale.t(Msg::ErrInternal).to_string())),
            }
            self.busy.set(false);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (self, company, user, pass, locale, resubmit);
    }
}

/// The cities the supplier will serve, one box each.
fn city_choices(mall_cities: Vec<CityOption>, form: RwSignal<CompanyInput>) -> impl IntoView {
    mall_cities.into_iter().map(|c| {
        let code = c.code.clone();
        let code2 = c.code.clone();
        view! {
            <label class="check">
                <input type="checkbox" value=c.code.clone()
                    prop:checked=move || form.with(|f| f.cities.contains(&code))
                    on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        let code = code2.clone();
                        form.update(|f| {
                            f.cities.retain(|x| *x != code);
                            if on { f.cities.push(code); }
                        });
                    }/>
                {c.name}
            </label>
        }
    }).collect_view()
}

/// One of the region pickers, with the server's message for it.
fn region_select(
    locale: Locale,
    wizard: Wizard,
    name: &'static str,
    label: Msg,
    options: Signal<Vec<CityOption>>,
    value: Signal<String>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let id = format!("reg-{name}");
    view! {
        <label for=id.clone()>{locale.t(label)}</label>
        <select id=id on:change=move |ev| on_pick.run(event_target_value(&ev))>
            <option value="">{locale.t(Msg::ChooseOne)}</option>
            {move || options.get().into_iter().map(|o| {
                let selected = o.code == value.get();
                view! { <option value=o.code.clone() selected=selected>{o.name}</option> }
            }).collect_view()}
        </select>
        <p class="field-error">{wizard.error_of(name)}</p>
    }
}
