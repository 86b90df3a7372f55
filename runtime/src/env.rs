//! Configuration from the environment: `NGROK_API_KEY` and `NGROK_API_URL`.

use std::env::VarError;

use super::Error;
use super::config::Config;
use super::target::base_url_problem;

/// The key variable.
const KEY_VAR: &str = "NGROK_API_KEY";
/// The optional base URL variable.
const URL_VAR: &str = "NGROK_API_URL";

impl Config {
    /// A configuration preset from the environment. A missing or blank
    /// key, or a base URL that is not acceptable, is an error naming the
    /// variable.
    pub fn from_env() -> Result<Config, Error> {
        from_env()
    }
}

fn from_env() -> Result<Config, Error> {
    let key = match std::env::var(KEY_VAR) {
        Ok(k) if !k.trim().is_empty() => k,
        Ok(_) => return Err(Error::config(format!("environment variable {KEY_VAR} is empty; set it to an ngrok API key"))),
        Err(VarError::NotPresent) => {
            return Err(Error::config(format!("environment variable {KEY_VAR} is not set; set it to an ngrok API key")));
        }
        Err(VarError::NotUnicode(_)) => return Err(Error::config(format!("environment variable {KEY_VAR} is not valid Unicode"))),
    };
    let mut config = Config { api_key: Some(key), ..Config::default() };
    match std::env::var(URL_VAR) {
        Ok(url) if !url.trim().is_empty() => {
            let url = url.trim();
            if let Some(problem) = base_url_problem(url, false) {
                return Err(Error::config(format!("environment variable {URL_VAR}: {problem}")));
            }
            config.base_url = url.to_string();
        }
        Ok(_) | Err(VarError::NotPresent) => {}
        Err(VarError::NotUnicode(_)) => return Err(Error::config(format!("environment variable {URL_VAR} is not valid Unicode"))),
    }
    Ok(config)
}
