//! What became of a plain form's request, said once on the page the person returns to
//! (the server carries it across the redirect in a one-time cookie bound to the session).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    /// It says that something was not done, and why.
    pub refusal: bool,
    /// In the page's language.
    pub text: String,
}

impl Notice {
    pub fn done(text: impl Into<String>) -> Notice {
        Notice {
            refusal: false,
            text: text.into(),
        }
    }

    pub fn refused(text: impl Into<String>) -> Notice {
        Notice {
            refusal: true,
            text: text.into(),
        }
    }
}
