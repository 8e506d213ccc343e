//! Which servers a call goes to, and with which credentials: `WHM_URL`,
//! `WHM_USER` and `WHM_TOKEN` from the environment, or profiles in a file
//! that only its owner may read (see `config.rs`). Everything is checked
//! before anything is sent: a URL that is not `http(s)://host[:port]`, or
//! that carries a user or password, a token a header cannot carry, a CA
//! file without a certificate are usage errors.

use std::path::{Path, PathBuf};

use whm_runtime::Secret;

use crate::config::{default_config, profiles};
use crate::terminal::visible;

/// A server and how to reach it.
#[derive(Clone)]
pub struct Server {
    /// What to call it in output (the profile's name, or its URL).
    pub name: String,
    /// `https://host:2087`.
    pub url: String,
    /// The WHM user the token belongs to.
    pub user: String,
    /// The API token: never shown.
    pub token: Secret,
    /// A CA certificate (PEM) the server's certificate is signed by, or
    /// the server's own certificate.
    pub ca: Option<PathBuf>,
    /// The largest reply accepted, in bytes.
    pub max_reply: usize,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("user", &self.user)
            .field("token", &"***")
            .field("ca", &self.ca)
            .field("max_reply", &self.max_reply)
            .finish()
    }
}

/// Where the call goes, from the command line's choices.
#[derive(Debug, Default)]
pub struct Choice<'a> {
    /// `--profile` (repeatable).
    pub profiles: &'a [String],
    /// `--servers FILE`.
    pub servers_file: Option<&'a Path>,
    /// `--config FILE`.
    pub config: Option<&'a Path>,
    /// `--ca FILE`, for every server.
    pub ca: Option<&'a Path>,
    /// `--max-reply`, in bytes.
    pub max_reply: usize,
}

/// The servers a call goes to: every profile of `--servers FILE`; the
/// `--profile`s named; else `WHM_URL`/`WHM_USER`/`WHM_TOKEN`; else the
/// config's `default` profile. Each checked (see [`check`]).
pub fn choose(choice: &Choice<'_>) -> Result<Vec<Server>, String> {
    let mut servers = if let Some(file) = choice.servers_file {
        let all = profiles(file)?;
        if all.is_empty() {
            return Err(format!(
                "{} names no servers",
                visible(&file.display().to_string())
            ));
        }
        all
    } else if !choice.profiles.is_empty() || std::env::var_os("WHM_URL").is_none() {
        from_config(choice)?
    } else {
        let url = std::env::var("WHM_URL").map_err(|_| "WHM_URL is not text")?;
        let token = std::env::var("WHM_TOKEN")
            .map_err(|_| "WHM_URL is set but WHM_TOKEN is not: set the API token")?;
        vec![Server {
            name: url.clone(),
            url,
            user: std::env::var("WHM_USER").unwrap_or_else(|_| "root".to_owned()),
            token: Secret::new(token),
            ca: None,
            max_reply: 0,
        }]
    };
    for s in &mut servers {
        if let Some(ca) = choice.ca {
            s.ca = Some(ca.to_owned());
        }
        s.max_reply = choice.max_reply;
    }
    for server in &servers {
        check(server)?;
    }
    Ok(servers)
}

/// The profiles `--profile` names, or `default`, from the config file.
fn from_config(choice: &Choice<'_>) -> Result<Vec<Server>, String> {
    let config = match choice.config {
        Some(path) => path.to_owned(),
        None => default_config().ok_or("no config file: set WHM_URL and WHM_TOKEN")?,
    };
    let shown = visible(&config.display().to_string()).into_owned();
    if !config.exists() && choice.profiles.is_empty() {
        return Err(format!(
            "no server: set WHM_URL and WHM_TOKEN, or write a `default` profile in {shown}"
        ));
    }
    let all = profiles(&config)?;
    let wanted: Vec<&str> = if choice.profiles.is_empty() {
        vec!["default"]
    } else {
        choice.profiles.iter().map(String::as_str).collect()
    };
    let mut chosen = Vec::new();
    for name in wanted {
        let server = all.iter().find(|s| s.name == name).ok_or_else(|| {
            let names: Vec<String> = all.iter().map(|s| visible(&s.name).into_owned()).collect();
            format!(
                "no profile `{}` in {shown} (it has: {})",
                visible(name),
                names.join(", ")
            )
        })?;
        chosen.push(server.clone());
    }
    Ok(chosen)
}

/// Refuses what cannot be sent as it should: a URL that is not `http` or
/// `https` with a host, or that holds a user or password (the token goes
/// in `WHM_TOKEN`, never in a URL that logs and `--verbose` show); a user
/// or token a header cannot carry; a CA file without a certificate.
pub fn check(server: &Server) -> Result<(), String> {
    // An environment's server is named by its URL.
    let name = visible(&display_url(&server.name)).into_owned();
    let parsed = url::Url::parse(&server.url)
        .map_err(|e| format!("the URL of `{name}` is not http(s)://HOST[:PORT] ({e})"))?;
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format!(
            "the URL of `{}` holds a user or password (`user:...@`): leave them out of it and set WHM_USER and WHM_TOKEN (or the profile's user and token)",
            visible(&display_url(&server.url))
        ));
    }
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!(
            "the URL of `{name}` is not http(s)://HOST[:PORT] (it is `{}`)",
            visible(&display_url(&server.url))
        ));
    }
    let control = |s: &str| s.chars().any(char::is_control);
    if control(&server.user) {
        return Err(format!(
            "the user of `{name}` holds a line break or other control character"
        ));
    }
    if control(server.token.expose()) {
        return Err(format!(
            "the token of `{name}` holds a line break or other control character, which a header cannot carry (a stray newline at its end?)"
        ));
    }
    if let Some(ca) = &server.ca {
        read_ca(ca)?;
    }
    Ok(())
}

/// A URL for a message: without what stands between `//` and `@`.
fn display_url(url: &str) -> String {
    match (url.find("//"), url.rfind('@')) {
        (Some(start), Some(at)) if at > start => format!("{}***{}", &url[..start + 2], &url[at..]),
        _ => url.to_owned(),
    }
}

/// The PEM of a CA file, checked to hold a certificate.
fn read_ca(path: &Path) -> Result<Vec<u8>, String> {
    let shown = visible(&path.display().to_string()).into_owned();
    let pem = std::fs::read(path).map_err(|e| format!("cannot read the CA file {shown}: {e}"))?;
    whm_api::Client::builder("https://check.invalid")
        .add_root_certificate(&pem)
        .map_err(|e| format!("the CA file {shown}: {e}"))?;
    Ok(pem)
}

/// A client for `server`.
pub fn client(server: &Server) -> Result<whm_api::Client, String> {
    let mut builder = whm_api::Client::builder(server.url.clone())
        .api_token(server.user.clone(), server.token.clone())
        .user_agent(concat!("whm/", env!("CARGO_PKG_VERSION")));
    if server.max_reply > 0 {
        builder = builder.max_response_bytes(server.max_reply);
    }
    if let Some(ca) = &server.ca {
        builder = builder
            .add_root_certificate(read_ca(ca)?)
            .map_err(|e| e.to_string())?;
    }
    builder.build().map_err(|e| e.to_string())
}
