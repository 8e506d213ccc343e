//! Which servers a call goes to, and with which credentials: `WHM_URL`,
//! `WHM_USER` and `WHM_TOKEN` from the environment, or profiles in a
//! config file that only its owner may read.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use whm_runtime::Secret;

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
    /// A CA certificate (PEM) the server's certificate is signed by.
    pub ca: Option<PathBuf>,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("user", &self.user)
            .field("token", &"***")
            .field("ca", &self.ca)
            .finish()
    }
}

/// A profile in a config or servers file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    url: String,
    #[serde(default = "root")]
    user: String,
    token: String,
    #[serde(default)]
    ca: Option<PathBuf>,
}

fn root() -> String {
    "root".to_owned()
}

/// A config or servers file: `[profiles.NAME]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The default config file: `$XDG_CONFIG_HOME/whm/config.toml`, else
/// `~/.config/whm/config.toml`.
pub fn default_config() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("whm").join("config.toml"))
}

/// Every profile in the file at `path`, in name order. The file holds
/// tokens: it is refused when others than its owner may read it.
pub fn profiles(path: &Path) -> Result<Vec<Server>, String> {
    let shown = path.display();
    check_private(path)?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
    let file: File = toml::from_str(&text).map_err(|e| format!("{shown}: {e}"))?;
    Ok(file
        .profiles
        .into_iter()
        .map(|(name, p)| Server {
            name,
            url: p.url,
            user: p.user,
            token: Secret::new(p.token),
            ca: p.ca,
        })
        .collect())
}

#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt as _;
    let meta =
        std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mode = meta.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(format!(
            "{} holds API tokens but others can read it (mode {:o}): run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), String> {
    Ok(())
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
}

/// The servers a call goes to: every profile of `--servers FILE`; the
/// `--profile`s named; else `WHM_URL`/`WHM_USER`/`WHM_TOKEN`; else the
/// config's `default` profile.
pub fn choose(choice: &Choice<'_>) -> Result<Vec<Server>, String> {
    let mut servers = if let Some(file) = choice.servers_file {
        let all = profiles(file)?;
        if all.is_empty() {
            return Err(format!("{} names no servers", file.display()));
        }
        all
    } else if !choice.profiles.is_empty() || std::env::var_os("WHM_URL").is_none() {
        let config = match choice.config {
            Some(path) => path.to_owned(),
            None => default_config().ok_or("no config file: set WHM_URL and WHM_TOKEN")?,
        };
        if !config.exists() && choice.profiles.is_empty() {
            return Err(format!(
                "no server: set WHM_URL and WHM_TOKEN, or write a `default` profile in {}",
                config.display()
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
                let names: Vec<&str> = all.iter().map(|s| s.name.as_str()).collect();
                format!(
                    "no profile `{name}` in {} (it has: {})",
                    config.display(),
                    names.join(", ")
                )
            })?;
            chosen.push(server.clone());
        }
        chosen
    } else {
        let url = std::env::var("WHM_URL").map_err(|_| "WHM_URL is not text")?;
        let token = std::env::var("WHM_TOKEN")
            .map_err(|_| "WHM_URL is set but WHM_TOKEN is not: set the API token")?;
        vec![Server {
            name: url.clone(),
            url,
            user: std::env::var("WHM_USER").unwrap_or_else(|_| root()),
            token: Secret::new(token),
            ca: None,
        }]
    };
    if let Some(ca) = choice.ca {
        for s in &mut servers {
            s.ca = Some(ca.to_owned());
        }
    }
    Ok(servers)
}

/// A client for `server`.
pub fn client(server: &Server) -> Result<whm_api::Client, String> {
    let mut builder = whm_api::Client::builder(server.url.clone())
        .api_token(server.user.clone(), server.token.clone());
    if let Some(ca) = &server.ca {
        let pem = std::fs::read(ca).map_err(|e| format!("cannot read {}: {e}", ca.display()))?;
        builder = builder
            .add_root_certificate(pem)
            .map_err(|e| e.to_string())?;
    }
    builder.build().map_err(|e| e.to_string())
}
