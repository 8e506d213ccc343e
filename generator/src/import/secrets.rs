//! Which names name secrets (passwords, keys, tokens): the importer marks
//! such parameters and reply members `format: password`, so that the
//! generated code keeps them out of `Debug` and errors.

/// Whether a parameter or member name names a secret: a password,
/// passphrase, API key, private key or token.
pub fn is_secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let secret_word = |w: &&str| {
        matches!(
            *w,
            "password"
                | "passwd"
                | "pass"
                | "passphrase"
                | "secret"
                | "apikey"
                | "privatekey"
                | "accesshash"
        ) || w.ends_with("password")
    };
    let last = words.last().copied().unwrap_or_default();
    words.iter().any(secret_word)
        || last == "token"
        || (last == "key"
            && words
                .iter()
                .any(|w| matches!(*w, "api" | "private" | "secret")))
}

#[cfg(test)]
mod tests {
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for name in [
            "password",
            "pass",
            "passphrase",
            "tfa_token",
            "token",
            "api_key",
            "privatekey",
            "sshkey_passphrase",
            "client_secret",
            "accesshash",
            "root_password",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "user",
            "token_name",
            "key",
            "passive",
            "keepdns",
            "tokens_count",
            "bypass",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }
}
