//! The working-day calendar as data: the operator loads next year's file (API and the
//! console's plain form), everyone else is refused, a wrong file is refused line by line,
//! and `/readyz`, the console and every node stop naming the year as missing.

use crate::helpers::TestApp;
use crate::on_both_backends;
use emall_domain::calendar::{Date, Weekday};
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    the_operator_loads_next_years_calendar,
    the_console_names_the_missing_year_and_loads_it_by_form,
);

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Next year in China: the one a deadline set late this year reaches, and not shipped.
fn next_year() -> i32 {
    Date::of(now()).year() + 1
}

/// A test fixture, not the State Council's notice: the fixed statutory days, a
/// week-long National Day with a make-up Saturday after it.
fn fixture(year: i32) -> (String, Date) {
    let mut saturday = Date::from_ymd(year, 10, 8).unwrap();
    while saturday.weekday() != Weekday::Saturday {
        saturday = saturday.next();
    }
    let text = format!(
        "# integration test fixture, not a State Council notice\n\
         year = {year}\n\
         source = \"test fixture {year}\"\n\
         holidays = [\n\
         \x20   \"{year}-01-01\",\n\
         \x20   \"{year}-05-01..{year}-05-02\",\n\
         \x20   \"{year}-10-01..{year}-10-07\",\n\
         ]\n\
         workdays = [\"{saturday}\"]\n"
    );
    (text, saturday)
}

async fn readyz(app: &TestApp) -> String {
    let r = app.get("/readyz").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "a missing year does not stop serving"
    );
    r.text().await.unwrap()
}

fn names(readyz: &str, year: i32) -> bool {
    readyz
        .lines()
        .any(|l| l.starts_with("calendar missing:") && l.contains(&year.to_string()))
}

async fn post_file(
    app: &TestApp,
    client: &reqwest::Client,
    token: &str,
    text: &str,
    language: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/v1/calendar/years"))
        .header("x-csrf-token", token)
        .header("content-type", "text/plain; charset=utf-8")
        .header("accept-language", language)
        .body(text.to_string())
        .send()
        .await
        .unwrap()
}

async fn the_operator_loads_next_years_calendar(app: TestApp) {
    let year = next_year();
    let (text, saturday) = fixture(year);
    let before = readyz(&app).await;
    assert!(before.starts_with("ready"), "{before}");
    assert!(names(&before, year), "next year is missing: {before}");
    // A node started before the load (its timers reload the calendar).
    let other = app.another_node().await;

    for user in ["demo-buyer", "demo-supplier", "demo-regulator"] {
        let (client, token) = app.as_user(user).await;
        let r = post_file(&app, &client, &token, &text, "zh-CN").await;
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "{user} may not load a year"
        );
    }
    let (buyer, _) = app.as_user("demo-buyer").await;
    let r = buyer
        .get(app.url("/api/v1/calendar/years"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a buyer may not list them"
    );

    let (operator, token) = app.as_user("demo-operator").await;
    let bad = format!(
        "year = {year}\n\
         holidays = [\"{year}-01-01\", \"{year}-02-30\"]\n\
         workdays = [\"{year}-01-01\"]\n\
         colour = \"red\"\n"
    );
    let no_year = "holidays = []\n";
    let cases = [
        (bad.as_str(), "zh-CN", "3", "第 3 行"),
        (
            &bad,
            "en",
            "3",
            "Line 3: Both a day off and a make-up working day",
        ),
        (&bad, "zh-CN", "2", "2-30"),
        (&bad, "en", "2", "statutory holiday"),
        (&bad, "en", "4", "Unknown key"),
        (no_year, "en", "file", "No year"),
        (no_year, "zh-CN", "file", "缺少 year"),
    ];
    for (file, language, field, expected) in cases {
        let r = post_file(&app, &operator, &token, file, language).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{language}");
        let body: Value = r.json().await.unwrap();
        let message = body["error"]["fields"][field].as_str().unwrap_or_default();
        assert!(
            message.contains(expected),
            "{language}: field {field} should say {expected:?}: {body}"
        );
    }
    let r = post_file(&app, &operator, &token, "\u{fffd}\u{0}", "en").await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = operator
        .post(app.url("/api/v1/calendar/years"))
        .header("x-csrf-token", &token)
        .body(vec![0xff, 0xfe, 0x00])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "not UTF-8");
    assert!(names(&readyz(&app).await, year), "nothing was loaded");

    let r = post_file(&app, &operator, &token, &text, "zh-CN").await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let loaded: Value = r.json().await.unwrap();
    assert_eq!(loaded["year"], year);
    assert_eq!(loaded["holidays"], 10);
    assert_eq!(loaded["workdays"], 1);
    assert_eq!(loaded["replaced"], false);

    let years: Value = app.get_json(&operator, "/api/v1/calendar/years").await;
    let listed = years
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == year)
        .unwrap_or_else(|| panic!("{year} listed: {years}"));
    assert_eq!(listed["origin"], "loaded");
    assert_eq!(listed["source"], format!("test fixture {year}"));
    assert_eq!(listed["holidays"], 10);
    assert_eq!(listed["workdays"], 1);
    assert_eq!(listed["loaded_by"], "demo-operator");
    assert!(
        years
            .as_array()
            .unwrap()
            .iter()
            .any(|y| y["year"] == 2026 && y["origin"] == "shipped"),
        "the shipped years are listed too: {years}"
    );
    let (regulator, _) = app.as_user("demo-regulator").await;
    let r = regulator
        .get(app.url("/api/v1/calendar/years"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "the regulator may read them");

    let after = readyz(&app).await;
    assert!(!names(&after, year), "{after}");
    let calendar = app.state.calendar.get();
    assert!(
        calendar.is_working_day(saturday),
        "the make-up Saturday counts at once"
    );
    assert!(!calendar.is_working_day(Date::from_ymd(year, 10, 7).unwrap()));

    // The other node learns it at its next timer run.
    assert!(
        names(&readyz(&other).await, year),
        "not before its timers run"
    );
    emall_server::timers::run_once(&other.state, now(), false)
        .await
        .unwrap();
    assert!(!names(&readyz(&other).await, year));
    assert!(other.state.calendar.get().is_working_day(saturday));

    let r = post_file(&app, &operator, &token, &text, "zh-CN").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "loading again replaces the year"
    );
    assert_eq!(r.json::<Value>().await.unwrap()["replaced"], true);

    let doc: Value = app.get("/api/openapi.json").await.json().await.unwrap();
    assert!(doc["paths"]["/api/v1/calendar/years"]["post"].is_object());
    assert!(doc["paths"]["/api/v1/calendar/years"]["get"].is_object());
}

/// The years in the console's notice, if it is shown.
fn missing_on_page(html: &str) -> Option<String> {
    let start =
        html.find("id=\"calendar-missing-years\">")? + "id=\"calendar-missing-years\">".len();
    let end = html[start..].find('<')? + start;
    Some(html[start..end].to_string())
}

async fn the_console_names_the_missing_year_and_loads_it_by_form(app: TestApp) {
    let year = next_year();
    let (text, _) = fixture(year);
    let (operator, token) = app.as_user("demo-operator").await;
    let console = app.get_text(&operator, "/console").await;
    assert!(
        missing_on_page(&console).is_some_and(|y| y.contains(&year.to_string())),
        "the console names {year}"
    );
    assert!(console.contains("id=\"calendar-form\""), "with the form");
    assert!(console.contains("尚未载入"));
    let english = app.get_text(&operator, "/en/console").await;
    assert!(english.contains("No holiday calendar is loaded for"));
    assert!(english.contains("action=\"/en/console/calendar\""));
    let (regulator, rt) = app.as_user("demo-regulator").await;
    let seen = app.get_text(&regulator, "/console").await;
    assert!(
        missing_on_page(&seen).is_some(),
        "the regulator sees the notice"
    );
    assert!(!seen.contains("id=\"calendar-form\""), "but no form");

    let r = operator
        .post(app.url("/console/calendar"))
        .form(&[("text", text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a form without the CSRF token"
    );
    let r = operator
        .post(app.url("/console/calendar"))
        .form(&[
            ("csrf_token", "0".repeat(64).as_str()),
            ("text", text.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::FORBIDDEN,
        "a form with a wrong token"
    );
    let r = regulator
        .post(app.url("/console/calendar"))
        .form(&[("csrf_token", rt.as_str()), ("text", text.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the regulator");

    let bad = text.replace(&format!("\"{year}-01-01\""), &format!("\"{year}-01-32\""));
    let r = operator
        .post(app.url("/console/calendar"))
        .form(&[("csrf_token", token.as_str()), ("text", bad.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("id=\"calendar-errors\""),
        "the faults are shown"
    );
    assert!(page.contains("第 5 行：不是有效日期"), "{page}");
    assert!(page.contains(&format!("{year}-01-32")), "the text is kept");

    // Browsers send a textarea's lines with CRLF.
    let crlf = text.replace('\n', "\r\n");
    let r = operator
        .post(app.url("/en/console/calendar"))
        .form(&[("csrf_token", token.as_str()), ("text", crlf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(location, format!("/en/console/calendar?loaded={year}"));
    let page = app.get_text(&operator, &location).await;
    assert!(page.contains("id=\"calendar-loaded\""));
    assert!(page.contains(&format!("test fixture {year}")));
    let console = app.get_text(&operator, "/console").await;
    assert!(
        !missing_on_page(&console).is_some_and(|y| y.contains(&year.to_string())),
        "{year} is no longer missing"
    );
}
