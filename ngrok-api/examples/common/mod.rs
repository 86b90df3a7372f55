//! What every example shares: where to run. With `NGROK_API_KEY` set the
//! examples use the real API; without it they start the embedded emulator,
//! so they run on any machine with no account.

use std::io::Write;

/// Where an example sends its calls.
pub enum Target {
    /// The real API, with the key and URL from the environment.
    Account,
    /// A fresh emulator started in this process.
    Emulator,
}

impl Target {
    /// `Account` when `NGROK_API_KEY` is set, `Emulator` otherwise.
    pub fn from_env() -> Target {
        match std::env::var("NGROK_API_KEY") {
            Ok(key) if !key.trim().is_empty() => Target::Account,
            _ => Target::Emulator,
        }
    }
}

/// A connected client, and the emulator that must live as long as it.
pub struct Session {
    pub client: ngrok_api::Client,
    /// Kept so the emulator runs as long as the client is used.
    #[allow(dead_code)]
    pub emulator: Option<ngrok_api_mock::MockServer>,
}

impl Session {
    /// Connects and says where on the first line of output.
    #[allow(dead_code, reason = "each example has its own copy of this module, and some open with options")]
    pub async fn open(target: Target, out: &mut dyn Write) -> Result<Session, Box<dyn std::error::Error>> {
        Session::open_with(target, out, |builder| builder).await
    }

    /// Like [`Session::open`], with more options set on the client's builder.
    pub async fn open_with(
        target: Target,
        out: &mut dyn Write,
        configure: impl FnOnce(ngrok_api::ClientBuilder) -> ngrok_api::ClientBuilder,
    ) -> Result<Session, Box<dyn std::error::Error>> {
        match target {
            Target::Account => {
                let client = configure(ngrok_api::Client::builder_from_env()?).build()?;
                writeln!(out, "Using the ngrok API at {} (NGROK_API_KEY is set).", client.base_url())?;
                Ok(Session { client, emulator: None })
            }
            Target::Emulator => {
                let emulator = ngrok_api_mock::MockServer::start().await;
                let client = configure(ngrok_api::Client::builder().api_key("emulator-key").base_url(emulator.url())).build()?;
                writeln!(out, "NGROK_API_KEY is not set: using the embedded ngrok API emulator at {}.", emulator.url())?;
                Ok(Session { client, emulator: Some(emulator) })
            }
        }
    }
}
