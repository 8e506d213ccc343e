//! `whm`: WHM API 1 from the shell, in `whmapi1`'s syntax, on one server or
//! a fleet, every call checked against the spec before it is sent.

mod call;
mod config;
mod describe;
mod doctor;
#[cfg(feature = "fake")]
mod fake;
mod fleet;
mod output;
mod progress;
mod servers;
mod terminal;
mod words;

use std::ffi::OsString;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory as _, Parser, Subcommand};

use call::{Controls, Failure, Pager};
use output::{Format, Printing};
use servers::Choice;
use terminal::visible_lines;

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
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=1_000_000), global = true)]
    page_size: u64,
    /// Send the parameters in the URL of a GET (they then show in server logs).
    #[arg(long, global = true)]
    get: bool,
    /// Call a function the spec does not have, with parameters unchecked.
    #[arg(long, global = true)]
    raw: bool,
    /// Print the request that would be sent (secrets as ***), and send nothing.
    #[arg(long, global = true)]
    dry_run: bool,
    /// A profile of the config file; repeat to run on several servers.
    #[arg(long, short, global = true)]
    profile: Vec<String>,
    /// Run on every server of FILE (profiles, as in the config file).
    #[arg(long, value_name = "FILE", env = "WHM_SERVERS", global = true)]
    servers: Option<PathBuf>,
    /// The config file [default: ~/.config/whm/config.toml].
    #[arg(long, value_name = "FILE", env = "WHM_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// Servers called at once, with several servers.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=10_000), global = true)]
    concurrency: u64,
    /// Seconds a server may take to answer, all pages included (at most a week).
    #[arg(long, value_name = "SECONDS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(1..=604_800), global = true)]
    timeout: u64,
    /// A CA certificate (PEM) the servers' certificates are signed by, or a server's own certificate.
    #[arg(long, value_name = "FILE", env = "WHM_CA", global = true)]
    ca: Option<PathBuf>,
    /// The largest reply accepted, in MiB.
    #[arg(long, value_name = "MIB", default_value_t = 256, value_parser = clap::value_parser!(u64).range(1..=65_536), global = true)]
    max_reply: u64,
    /// The most pages --all-pages reads.
    #[arg(long, value_name = "N", default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..=1_000_000), global = true)]
    max_pages: u64,
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
    /// Start fake WHM servers on loopback, answering every function with its documented example.
    #[cfg(feature = "fake")]
    Fake(fake::Args),
    /// Call FUNCTION with key=value parameters (a list: repeat the key).
    #[command(external_subcommand)]
    Call(Vec<String>),
}

/// Writes to standard output; a reader that went away ends it quietly.
fn say(text: &str) {
    let _ = std::io::stdout().write_all(text.as_bytes());
}

/// Writes a line to standard error, made visible: a message may hold what
/// a server sent, or what was typed.
fn tell(text: &str) {
    let _ = writeln!(std::io::stderr(), "{}", visible_lines(text));
}

fn main() -> ExitCode {
    let args = reorder(std::env::args_os().collect());
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
/// Words that are not UTF-8 stay where they are, for the parser to refuse.
fn reorder(args: Vec<OsString>) -> Vec<OsString> {
    let command = Cli::command();
    let text = |a: &OsString| a.to_str().map(str::to_owned);
    // A command of its own (`list --tag dns`) is left to the parser.
    let first_word = args
        .iter()
        .skip(1)
        .find(|a| !text(a).is_some_and(|t| t.starts_with('-')));
    if first_word
        .and_then(text)
        .is_some_and(|w| command.find_subcommand(&w).is_some())
    {
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
    while let Some(arg) = iter.next() {
        let word = text(&arg).unwrap_or_default();
        if word == "--" {
            rest.push(arg);
            rest.extend(iter.by_ref());
            break;
        }
        if word.starts_with('-') && word.len() > 1 {
            let value_follows = !word.contains('=') && takes_value(&word);
            flags.push(arg);
            if value_follows && let Some(value) = iter.next() {
                flags.push(value);
            }
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
        #[cfg(feature = "fake")]
        Command::Fake(args) => fake::run(&args),
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
        max_reply: usize::try_from(options.max_reply.saturating_mul(1 << 20)).unwrap_or(usize::MAX),
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
    let (function, params, controls) = match prepare(options, name, rest) {
        Ok(prepared) => prepared,
        Err(words::Usage(message)) => {
            tell(&format!("whm: {message}"));
            return USAGE;
        }
    };
    if options.get {
        for secret in call::secret_names(function, &params) {
            tell(&format!(
                "whm: warning: `{secret}` is secret, and --get puts it in the URL, where the server's logs keep it (without --get it travels in the body)"
            ));
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            tell(&format!("whm: cannot start: {e}"));
            return 4;
        }
    };
    let _entered = runtime.enter();
    let list = function.and_then(|f| f.list).map(output::pointer_keys);
    with_servers(options, |servers| {
        if options.dry_run {
            return dry_run(servers, name, &params, &controls);
        }
        if servers.len() == 1 {
            let how = Printing {
                format: options.output,
                columns: &options.columns,
                terminal: std::io::stdout().is_terminal(),
                list,
                width: 160,
            };
            one_server(
                &runtime,
                options,
                &servers[0],
                (name, &params, &controls),
                &how,
            )
        } else {
            let run = fleet::Run {
                function: name,
                params: &params,
                controls: &controls,
                list: list.as_deref(),
                concurrency: usize::try_from(options.concurrency).unwrap_or(usize::MAX),
                deadline: controls.timeout.saturating_add(Duration::from_secs(5)),
                verbose: options.verbose,
            };
            let terminal = std::io::stdout().is_terminal();
            runtime.block_on(fleet::run(servers, &run, options.output, terminal))
        }
    })
}

/// `--dry-run`: each server's request, as it would be sent.
fn dry_run(
    servers: &[servers::Server],
    name: &str,
    params: &whm_runtime::Params,
    controls: &Controls,
) -> u8 {
    let mut status = 0;
    for server in servers {
        let preview = servers::client(server).and_then(|client| {
            call::raw_call(&client, name, params, controls)
                .preview()
                .map_err(|e| e.to_string())
        });
        match preview {
            Ok(preview) => {
                if servers.len() > 1 {
                    say(&format!("# {}\n", terminal::visible(&server.name)));
                }
                say(&visible_lines(&preview.to_string()));
            }
            Err(e) => {
                tell(&format!("whm: {}: {e}", server.name));
                status = USAGE;
            }
        }
    }
    status
}

/// One call on one server, printed as its pages come.
fn one_server(
    runtime: &tokio::runtime::Runtime,
    options: &Options,
    server: &servers::Server,
    (name, params, controls): (&str, &whm_runtime::Params, &Controls),
    how: &Printing<'_>,
) -> u8 {
    let client = match servers::client(server) {
        Ok(client) => client,
        Err(e) => {
            tell(&format!("whm: {e}"));
            return USAGE;
        }
    };
    let call = call::raw_call(&client, name, params, controls);
    if options.verbose {
        match call.preview() {
            Ok(preview) => tell(&preview.line()),
            Err(e) => {
                tell(&format!("whm: {e}"));
                return call::status_of(&e);
            }
        }
    }
    if how.format == Some(Format::Raw) && how.terminal {
        tell(
            "whm: standard output is a terminal, so control characters in the body are shown escaped; redirect it to a file or a pipe for the bytes as sent",
        );
    }
    let mut pager = Pager::new(call, controls);
    let first = runtime.block_on(pager.next());
    let first = match first {
        Some(Ok(first)) => first,
        Some(Err(failure)) => return failed(&failure, how),
        None => return failed(&Failure::TooManyPages(0), how),
    };
    let mut next = || runtime.block_on(pager.next());
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match output::print(&mut out, &first, &mut next, how) {
        Ok(()) => 0,
        // A reader that went away (`| head`) ends the output quietly.
        Err(output::events::Stop::Write) => 0,
        Err(output::events::Stop::Read(message, status)) => {
            let _ = out.flush();
            tell(&format!("whm: {message}"));
            status
        }
    }
}

/// Reports a call that failed; its exit status. With `-o raw` the reply
/// (when one came) is printed as well, its secrets masked.
fn failed(failure: &Failure, how: &Printing<'_>) -> u8 {
    if let (Some(Format::Raw), Failure::Call(_, Some(reply))) = (how.format, failure) {
        let mut out = std::io::stdout().lock();
        let _ = output::raw(&mut out, reply, how.terminal);
    }
    tell(&format!("whm: {}", failure.message()));
    failure.status()
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
        Option<&'static whm_runtime::Operation>,
        whm_runtime::Params,
        Controls,
    ),
    words::Usage,
> {
    let pairs = words::pairs(rest)?;
    let function = if options.raw {
        words::raw_name(name)?;
        whm_api::CATALOG.iter().copied().find(|f| f.name == name)
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
        all_pages: options.all_pages.then_some(options.page_size),
        max_pages: options.max_pages,
        timeout: Duration::from_secs(options.timeout),
    };
    Ok((function, call::params(function, &pairs), controls))
}

#[cfg(test)]
mod tests;
