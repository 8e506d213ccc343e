//! What the catalog says, for people: a function's parameters, the list of
//! functions and completion scripts. The spec's text is shown made
//! visible, as all text is (see `terminal.rs`).

use whm_runtime::Operation as Function;
use whm_runtime::operation::{Kind, Presence};

use crate::terminal::visible;
use crate::words::{self, Usage};

// Every function's parameters come with whm-api's `details` feature; a
// build without it would describe no parameter and check none, so it
// does not compile.
const _: () = assert!(
    !<whm_api::accounts::Createacct as whm_runtime::Request>::OPERATION
        .details
        .params
        .is_empty(),
    "whm needs whm-api's `details` feature"
);

/// `whm describe FUNCTION`.
pub fn describe(name: &str) -> Result<String, Usage> {
    let f = words::function(whm_api::CATALOG, name)?;
    let mut out = format!("{}: {}\n", f.name, visible(f.details.summary));
    if f.details.deprecated {
        out.push_str("Deprecated.\n");
    }
    out.push_str(&format!("Group: {}\n", f.details.group));
    if f.details.params.is_empty() {
        out.push_str("\nNo parameters.\n");
    } else {
        out.push_str("\nParameters:\n");
        for p in f.details.params {
            let presence = match p.presence {
                Presence::Required => "required".to_owned(),
                Presence::Optional => "optional".to_owned(),
                Presence::Constant(v) => format!("always `{v}`"),
                Presence::Flag(v) => format!("a switch: `{v}`"),
                Presence::Bound => "required (the account the call acts as)".to_owned(),
            };
            let kind = visible(&p.kind.to_string()).into_owned();
            out.push_str(&format!("  {} ({}; {kind})\n", p.name, visible(&presence)));
            if !p.aliases.is_empty() {
                out.push_str(&format!("      also: {}\n", visible(&p.aliases.join(", "))));
            }
            out.push_str(&format!("      {}\n", visible(p.description)));
            if let Some(default) = p.default {
                out.push_str(&format!("      default: {}\n", visible(default)));
            }
        }
    }
    out.push_str(&format!("\nExample:\n  {}\n", visible(&example(f))));
    Ok(out)
}

/// A call of `f` with its required parameters' documented values.
fn example(f: &Function) -> String {
    let mut words = vec![format!("whm {}", f.name)];
    for p in f
        .details
        .params
        .iter()
        .filter(|p| p.presence == Presence::Required)
    {
        let value = p
            .example
            .map(str::to_owned)
            .unwrap_or_else(|| match p.kind {
                Kind::Integer | Kind::Limit | Kind::Number => "1".to_owned(),
                Kind::Bool => "1".to_owned(),
                Kind::Enum(values) => values.first().copied().unwrap_or("value").to_owned(),
                _ => "value".to_owned(),
            });
        let value = if value.contains([' ', '\'', '"', '$', '&', ';', '|']) {
            format!("'{}'", value.replace('\'', "'\\''"))
        } else {
            value
        };
        words.push(format!("{}={value}", p.name));
    }
    words.join(" ")
}

/// `whm list [--tag TAG]`.
pub fn list(tag: Option<&str>) -> Result<String, Usage> {
    let chosen: Vec<&Function> = whm_api::CATALOG
        .iter()
        .copied()
        .filter(|f| tag.is_none_or(|t| f.details.group == t))
        .collect();
    if chosen.is_empty() {
        let mut groups: Vec<&str> = whm_api::CATALOG.iter().map(|f| f.details.group).collect();
        groups.dedup();
        return Err(Usage(format!(
            "no group `{}`; the groups: {}",
            tag.unwrap_or_default(),
            groups.join(", ")
        )));
    }
    let width = chosen.iter().map(|f| f.name.len()).max().unwrap_or(0);
    Ok(chosen
        .iter()
        .map(|f| format!("{:<width$}  {}\n", f.name, visible(f.details.summary)))
        .collect())
}

/// A completion script for `shell`: the commands, options, every function
/// name and each function's parameter names (`key=`).
pub fn completions(shell: clap_complete::Shell, mut command: clap::Command) -> String {
    for f in whm_api::CATALOG {
        let keys: Vec<String> = f
            .details
            .params
            .iter()
            .map(|p| format!("{}=", p.name))
            .collect();
        let mut sub = clap::Command::new(f.name).about(f.details.summary);
        if !keys.is_empty() {
            sub = sub.arg(
                clap::Arg::new("parameters")
                    .num_args(0..)
                    .value_parser(clap::builder::PossibleValuesParser::new(keys)),
            );
        }
        command = command.subcommand(sub);
    }
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command, "whm", &mut out);
    let mut script = String::from_utf8_lossy(&out).into_owned();
    // Fish's generated script completes options, not the values of
    // positional words: each function's `key=` words are added here.
    if shell == clap_complete::Shell::Fish {
        for f in whm_api::CATALOG
            .iter()
            .filter(|f| !f.details.params.is_empty())
        {
            let keys: Vec<String> = f
                .details
                .params
                .iter()
                .map(|p| format!("{}=", p.name))
                .collect();
            script.push_str(&format!(
                "complete -c whm -n \"__fish_whm_using_subcommand {}\" -f -a \"{}\"\n",
                f.name,
                keys.join(" ")
            ));
        }
    }
    script
}
