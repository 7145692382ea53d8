//! A supplier's staff: the owner invites by a one-time link, the colleague chooses a
//! sign-in on the link's page, the owner can deactivate them.

use crate::helpers::{client, TestApp};
use crate::on_both_backends;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_backends!(
    the_owner_invites_a_colleague_who_signs_up_once_and_can_be_removed,
    a_colleague_is_invited_and_deactivated_with_plain_forms,
);

async fn the_owner_invites_a_colleague_who_signs_up_once_and_can_be_removed(app: TestApp) {
    let (owner, ot) = app.as_user("demo-supplier").await;
    let r = owner
        .post(app.url("/api/v1/suppliers/me/invitations"))
        .header("x-csrf-token", &ot)
        .json(&json!({"display_name": "周同事"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let link = r.json::<Value>().await.unwrap()["link"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(link.starts_with("/invite/"));

    let visitor = client();
    let page = visitor.get(app.url(&link)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("周同事"));
    let weak = visitor
        .post(app.url(&link))
        .form(&[("username", "zhou-staff"), ("password", "short")])
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(weak.text().await.unwrap().contains("10 至 128 位"));
    let ok = visitor
        .post(app.url(&link))
        .form(&[("username", "zhou-staff"), ("password", "Colleague2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let again = visitor
        .post(app.url(&link))
        .form(&[("username", "zhou-two"), ("password", "Colleague2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "once");

    let staff = client();
    let login = staff
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "zhou-staff", "password": "Colleague2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let st = crate::helpers::csrf_cookie(&login).unwrap();
    let me: Value = app.get_json(&staff, "/api/v1/auth/me").await;
    assert_eq!(me["role"], "supplier");
    let r = staff
        .post(app.url("/api/v1/suppliers/me/invitations"))
        .header("x-csrf-token", &st)
        .json(&json!({"display_name": "再邀请"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only the owner invites");

    let list: Value = app.get_json(&owner, "/api/v1/suppliers/me/staff").await;
    let member = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "zhou-staff")
        .unwrap()
        .clone();
    let owner_id = list
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["is_owner"] == true)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = owner
        .delete(app.url(&format!("/api/v1/suppliers/me/staff/{owner_id}")))
        .header("x-csrf-token", &ot)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "the owner stays");
    let r = owner
        .delete(app.url(&format!("/api/v1/suppliers/me/staff/{}", member["id"])))
        .header("x-csrf-token", &ot)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        staff
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED,
        "signed out at once"
    );
}

/// Without script: the application page's form invites (the link in the answer itself,
/// whole, shown once) and a colleague's own form deactivates them.
async fn a_colleague_is_invited_and_deactivated_with_plain_forms(app: TestApp) {
    let (owner, ot) = app.as_user("demo-supplier").await;
    let page = app.get_text(&owner, "/workbench/application").await;
    assert!(page.contains("action=\"/workbench/staff\""));
    let invite = |name: &'static str| {
        let request = owner
            .post(app.url("/workbench/staff"))
            .form(&[("csrf_token", ot.as_str()), ("display_name", name)]);
        async move { request.send().await.unwrap() }
    };
    let r = invite("周").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.text().await.unwrap().contains("id=\"invite-error\""),
        "a name of 2 to 30 characters"
    );
    let r = invite("吴同事").await;
    assert_eq!(
        r.status(),
        StatusCode::OK,
        "the link is in this answer, not a redirect"
    );
    let shown = r.text().await.unwrap();
    let mark = "<code id=\"invite-link\">";
    let at = shown.find(mark).expect("the link shown") + mark.len();
    let link = &shown[at..at + shown[at..].find('<').unwrap()];
    assert!(
        link.starts_with("http://") && link.contains("/invite/"),
        "{link}"
    );
    let path = &link[link.find("/invite/").unwrap()..];
    let visitor = client();
    let r = visitor
        .post(app.url(path))
        .form(&[("username", "wu-colleague"), ("password", "Colleague2026")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the link works");
    let id = app
        .id("SELECT id FROM users WHERE username = 'wu-colleague'")
        .await;
    let deactivate = format!("/workbench/staff/{id}/deactivate");
    let page = app.get_text(&owner, "/workbench/application").await;
    assert!(page.contains(&format!("action=\"{deactivate}\"")));
    let r = owner
        .post(app.url(&deactivate))
        .form(&[("csrf_token", ot.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = app.get_text(&owner, "/workbench/application").await;
    assert!(page.contains("已停用该同事的账号"), "said once");
    let active = "SELECT COUNT(*) FROM users WHERE username = 'wu-colleague' AND active = 1";
    assert_eq!(app.id(active).await, 0);
}
