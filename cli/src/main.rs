//! `whm`: WHM API 1 from the shell, in `whmapi1`'s syntax, on one server or
//! a fleet, every call checked against the spec before it is sent.

mod call;
mod describe;
mod doctor;
mod fleet;
mod output;
mod servers;
mod words;

use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory as _, Parser, Subcommand};

use call::{Controls, Outcome};
use output::Format;
use servers::Choice;

/// Exit status: the command line was wrong (nothing was sent).
const USAGE: u8 = 2;

/// WHM API 1 from the shell: `whm listaccts searchtype=domain search=example.com`.
///
/// Credentials come from WHM_URL, WHM_USER (default root) and WHM_TOKEN, or
/// from profiles in ~/.config/whm/config.toml. Exit status: 0 success,
/// 1 the API reported a failure, 2 usage error (nothing sent), 3 access
/// denied, 4 the server was not reached or gave no API reply, 5 some
/// servers of a fleet failed.
#[derive(Debug, Parser)]
#[command(name = "whm", version, args_conflicts_with_subcommands = false)]
struct Cli {
    #[command(flatten)]
    options: Options,
    #[command(subcommand)]
    command: Command,
}

/// Options of every command; they may come before or after the function.
#[derive(Debug, clap::Args)]
struct Options {
    /// How to print replies [default: table on a terminal for lists, else json].
    #[arg(long, short, value_enum, global = true)]
    output: Option<Format>,
    /// The columns of a table (and the fields the server returns), comma-separated.
    #[arg(long, value_delimiter = ',', global = true)]
    columns: Vec<String>,
    /// Keep only records that match: FIELD~TEXT, FIELD^TEXT, FIELD=TEXT, FIELD==N, FIELD<N, FIELD>=N...
    #[arg(long, global = true)]
    filter: Vec<String>,
    /// Sort records by FIELD (-FIELD: largest first), with :numeric, :ipv4... Repeat to break ties.
    #[arg(long, allow_hyphen_values = true, global = true)]
    sort: Vec<String>,
    /// Read every page of a list (the server pages it, PAGE_SIZE records at a time).
    #[arg(long, global = true)]
    all_pages: bool,
    /// Records a page with --all-pages.
    #[arg(long, default_value_t = 1000, global = true)]
    page_size: u64,
    /// Send the parameters in the URL of a GET (they then show in server logs).
    #[arg(long, global = true)]
    get: bool,
    /// Call a function the spec does not have, with parameters unchecked.
    #[arg(long, global = true)]
    raw: bool,
    /// A profile of the config file; repeat to run on several servers.
    #[arg(long, short, global = true)]
    profile: Vec<String>,
    /// Run on every server of FILE (profiles, as in the config file).
    #[arg(long, value_name = "FILE", global = true)]
    servers: Option<PathBuf>,
    /// The config file [default: ~/.config/whm/config.toml].
    #[arg(long, value_name = "FILE", env = "WHM_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Servers called at once, with several servers.
    #[arg(long, default_value_t = 8, global = true)]
    concurrency: usize,
    /// Seconds a server may take to answer.
    #[arg(long, value_name = "SECONDS", default_value_t = 60, global = true)]
    timeout: u64,
    /// A CA certificate (PEM) the servers' certificates are signed by.
    #[arg(long, value_name = "FILE", global = true)]
    ca: Option<PathBuf>,
    /// Show the request (never the token or secret parameters) on standard error.
    #[arg(long, short, global = true)]
    verbose: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A function's summary, parameters and an example.
    Describe {
        /// The function.
        function: String,
    },
    /// The functions, or those of one group.
    List {
        /// Only this group (`accounts`, `dns`, ...).
        #[arg(long)]
        tag: Option<String>,
    },
    /// Check the connection, TLS, the token and the server's functions against the spec.
    Doctor,
    /// Print a completion script.
    Completions {
        /// bash, zsh or fish.
        shell: clap_complete::Shell,
    },
    /// Call FUNCTION with key=value parameters (a list: repeat the key).
    #[command(external_subcommand)]
    Call(Vec<String>),
}

/// Writes to standard output; a reader that went away ends it quietly.
fn say(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// Writes a line to standard error.
fn tell(text: &str) {
    let _ = writeln!(std::io::stderr(), "{text}");
}

fn main() -> ExitCode {
    let args = reorder(std::env::args().collect());
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { USAGE } else { 0 });
        }
    };
    ExitCode::from(run(cli))
}

/// Options typed after the function (`whm listaccts --output json`) moved
/// before it, where the parser reads them; `key=value` words stay after.
fn reorder(args: Vec<String>) -> Vec<String> {
    let command = Cli::command();
    // A command of its own (`list --tag dns`) is left to the parser.
    let first_word = args.iter().skip(1).find(|a| !a.starts_with('-'));
    if first_word.is_some_and(|w| command.find_subcommand(w).is_some()) {
        return args;
    }
    let takes_value = |flag: &str| {
        let name = flag.trim_start_matches('-');
        command.get_arguments().any(|a| {
            (a.get_long() == Some(name) || a.get_short().is_some_and(|s| s.to_string() == name))
                && a.get_action().takes_values()
        })
    };
    let mut flags = Vec::new();
    let mut rest = Vec::new();
    let mut iter = args.into_iter();
    let program = iter.next().unwrap_or_default();
    let mut seen_command = false;
    while let Some(arg) = iter.next() {
        if arg == "--" {
            rest.push(arg);
            rest.extend(iter.by_ref());
            break;
        }
        if arg.starts_with('-') && arg.len() > 1 {
            let value_follows = !arg.contains('=') && takes_value(&arg);
            flags.push(arg);
            if value_follows && let Some(value) = iter.next() {
                flags.push(value);
            }
        } else if !seen_command {
            seen_command = true;
            rest.push(arg);
        } else {
            rest.push(arg);
        }
    }
    let mut out = vec![program];
    out.extend(flags);
    out.extend(rest);
    out
}

fn run(cli: Cli) -> u8 {
    let options = cli.options;
    match cli.command {
        Command::Describe { function } => match describe::describe(&function) {
            Ok(text) => {
                say(&text);
                0
            }
            Err(e) => {
                tell(&format!("whm: {e}"));
                USAGE
            }
        },
        Command::List { tag } => match describe::list(tag.as_deref()) {
            Ok(text) => {
                say(&text);
                0
            }
            Err(e) => {
                tell(&format!("whm: {e}"));
                USAGE
            }
        },
        Command::Completions { shell } => {
            say(&describe::completions(shell, Cli::command()));
            0
        }
        Command::Doctor => with_servers(&options, |servers| doctor::doctor(&servers[0], &options)),
        Command::Call(words) => call_command(&options, &words),
    }
}

/// The servers the options choose, or a usage error.
fn with_servers(options: &Options, then: impl FnOnce(&[servers::Server]) -> u8) -> u8 {
    let choice = Choice {
        profiles: &options.profile,
        servers_file: options.servers.as_deref(),
        config: options.config.as_deref(),
        ca: options.ca.as_deref(),
    };
    match servers::choose(&choice) {
        Ok(servers) => then(&servers),
        Err(e) => {
            tell(&format!("whm: {e}"));
            USAGE
        }
    }
}

/// `whm FUNCTION key=value...`: checked, then sent to each server.
fn call_command(options: &Options, words: &[String]) -> u8 {
    let Some((name, rest)) = words.split_first() else {
        tell("whm: name a function (`whm list` shows them)");
        return USAGE;
    };
    let checked = prepare(options, name, rest);
    let (function, params, controls) = match checked {
        Ok(prepared) => prepared,
        Err(words::Usage(message)) => {
            tell(&format!("whm: {message}"));
            return USAGE;
        }
    };
    with_servers(options, |servers| {
        let list = function.and_then(|f| f.list);
        if options.verbose {
            for server in servers {
                tell(&describe::request_line(server, name, &params, options.get));
            }
        }
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(r) => r,
            Err(e) => {
                tell(&format!("whm: cannot start: {e}"));
                return 4;
            }
        };
        if servers.len() == 1 {
            let outcome = runtime.block_on(call::run(&servers[0], name, &params, &controls, list));
            print_outcome(options, outcome, list)
        } else {
            let run = fleet::Run {
                function: name,
                params: &params,
                controls: &controls,
                list,
                concurrency: options.concurrency.max(1),
                deadline: Duration::from_secs(options.timeout.max(1)) + Duration::from_secs(5),
            };
            let results = runtime.block_on(fleet::run(servers, &run));
            fleet::print(&results, options.output, std::io::stdout().is_terminal())
        }
    })
}

/// The function (when the spec has it), the parameters and the controls,
/// every one checked.
#[allow(clippy::type_complexity)]
fn prepare(
    options: &Options,
    name: &str,
    rest: &[String],
) -> Result<
    (
        Option<&'static whm_runtime::catalog::Function>,
        whm_runtime::Params,
        Controls,
    ),
    words::Usage,
> {
    let pairs = words::pairs(rest)?;
    let function = if options.raw {
        whm_api::CATALOG.iter().find(|f| f.name == name)
    } else {
        let f = words::function(whm_api::CATALOG, name)?;
        words::check(f, &pairs)?;
        Some(f)
    };
    let usage = |e: String| words::Usage(e);
    let controls = Controls {
        get: options.get,
        filters: options
            .filter
            .iter()
            .map(|f| call::filter(f))
            .collect::<Result<_, _>>()
            .map_err(usage)?,
        sorts: options
            .sort
            .iter()
            .map(|s| call::sort(s))
            .collect::<Result<_, _>>()
            .map_err(usage)?,
        columns: options.columns.clone(),
        all_pages: options.all_pages.then_some(options.page_size.max(1)),
        timeout: Some(Duration::from_secs(options.timeout.max(1))),
    };
    Ok((function, call::params(function, &pairs), controls))
}

/// Prints one server's outcome; its exit status.
fn print_outcome(options: &Options, outcome: Outcome, list: Option<&str>) -> u8 {
    let terminal = std::io::stdout().is_terminal();
    match outcome {
        Outcome::Done { data, body } => {
            let records = output::records(&data, list);
            let format = options.output.unwrap_or(match (terminal, records) {
                (true, Some(_)) => Format::Table,
                _ => Format::Json,
            });
            let text = match format {
                Format::Raw => body + "\n",
                Format::Json => output::json(&data),
                Format::Yaml => output::yaml(&data),
                Format::Table => match records {
                    Some(records) => {
                        let columns = output::columns(records, &options.columns, 160);
                        output::table(records, &columns)
                    }
                    None => output::key_values(&data),
                },
            };
            say(&text);
            0
        }
        Outcome::Failed { error, body } => {
            if let (Some(Format::Raw), Some(body)) = (options.output, &body) {
                say(&format!("{body}\n"));
            }
            tell(&format!("whm: {error}"));
            call::status_of(&error)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Words a person might type: flags, `key=value`, functions, noise.
    fn word() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("--output".to_owned()),
            Just("-o".to_owned()),
            Just("--filter".to_owned()),
            Just("--sort".to_owned()),
            Just("--all-pages".to_owned()),
            Just("--".to_owned()),
            Just("list".to_owned()),
            Just("listaccts".to_owned()),
            Just("createacct".to_owned()),
            "[a-z_]{1,12}=[ -~]{0,12}",
            "-{0,2}[a-z~^=<>:-]{0,10}",
            any::<String>(),
        ]
    }

    proptest! {
        #[test]
        fn no_command_line_makes_it_panic(words in proptest::collection::vec(word(), 0..8)) {
            let mut args = vec!["whm".to_owned()];
            args.extend(words);
            let args = reorder(args);
            if let Ok(cli) = Cli::try_parse_from(args)
                && let Command::Call(words) = cli.command
                && let Some((name, rest)) = words.split_first()
            {
                let _ = prepare(&cli.options, name, rest);
            }
        }
    }
}
