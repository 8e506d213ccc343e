//! One call on many servers at once: a slow or failing server never holds
//! up or hides the others, and each server's outcome is printed as soon as
//! it is known (a table row on a terminal, else a JSON line), so that only
//! the calls in flight are in memory, `concurrency` of them at most.

use std::io::Write as _;
use std::time::Duration;

use tokio::task::JoinSet;
use whm_runtime::RawReply;

use crate::call::{self, Controls, Failure, Pager};
use crate::output::{self, Format};
use crate::servers::Server;
use crate::terminal::{cut, fit, visible, width};

/// What every server is asked.
pub struct Run<'a> {
    pub function: &'a str,
    pub params: &'a whm_runtime::Params,
    pub controls: &'a Controls,
    /// Where a list function keeps its records (keys).
    pub list: Option<&'a [String]>,
    /// Servers called at once.
    pub concurrency: usize,
    /// The longest one server may take, whatever it does.
    pub deadline: Duration,
    /// `--verbose`: each request on standard error.
    pub verbose: bool,
}

/// One server's outcome.
type Outcome = Result<Vec<RawReply>, Failure>;

/// Runs the call on every server, `concurrency` at a time, printing each
/// outcome as it comes (a progress bar on a terminal); the exit status: 0
/// when every server succeeded, else 5.
pub async fn run(servers: &[Server], run: &Run<'_>, format: Option<Format>, terminal: bool) -> u8 {
    let table = match format {
        Some(Format::Table) => true,
        None => terminal,
        _ => false,
    };
    let mut printer = Printer {
        table,
        name_width: servers
            .iter()
            .map(|s| width(&visible(&s.name)))
            .max()
            .unwrap_or(6)
            .clamp(6, 40),
        list: run.list,
        bar: crate::progress::Progress::new(servers.len()),
        failed: 0,
        stdout: std::io::stdout(),
    };
    printer.header();
    let mut running = JoinSet::new();
    let mut indices = std::collections::HashMap::new();
    let mut waiting = servers.iter().enumerate();
    loop {
        while running.len() < run.concurrency {
            let Some((index, server)) = waiting.next() else {
                break;
            };
            if run.verbose {
                printer.tell(&request_line(server, run));
            }
            let task = running.spawn(one(server.clone(), owned(run)));
            indices.insert(task.id(), index);
        }
        let Some(done) = running.join_next_with_id().await else {
            break;
        };
        let (id, outcome) = match done {
            Ok((id, outcome)) => (id, outcome),
            // A call that panicked is that server's failure, reported too.
            Err(e) => (
                e.id(),
                Err(Failure::Call(
                    whm_runtime::Error::Config(format!("the call stopped: {e}")),
                    None,
                )),
            ),
        };
        if let Some(server) = indices.remove(&id).and_then(|i| servers.get(i)) {
            printer.print(&server.name, outcome);
        }
        if let Some(bar) = &mut printer.bar {
            bar.inc();
        }
    }
    if let Some(bar) = &mut printer.bar {
        bar.clear();
    }
    let failed = printer.failed;
    if failed > 0 {
        crate::tell(&format!(
            "whm: {failed} of {} servers failed",
            servers.len()
        ));
        5
    } else {
        0
    }
}

/// What a task needs of the run, owned.
#[derive(Clone)]
struct Owned {
    function: String,
    params: whm_runtime::Params,
    controls: Controls,
    deadline: Duration,
}

fn owned(run: &Run<'_>) -> Owned {
    Owned {
        function: run.function.to_owned(),
        params: run.params.clone(),
        controls: run.controls.clone(),
        deadline: run.deadline,
    }
}

/// Calls one server: every page, within the deadline whatever it does.
async fn one(server: Server, run: Owned) -> Outcome {
    let call = async {
        let client = crate::servers::client(&server)
            .map_err(|m| Failure::Call(whm_runtime::Error::Config(m), None))?;
        let call = call::raw_call(&client, &run.function, &run.params, &run.controls);
        Pager::new(call, &run.controls).all().await
    };
    match tokio::time::timeout(run.deadline, call).await {
        Ok(outcome) => outcome,
        Err(_) => Err(Failure::Deadline(run.deadline)),
    }
}

/// The request as `--verbose` shows it.
fn request_line(server: &Server, run: &Run<'_>) -> String {
    let line = crate::servers::client(server).and_then(|client| {
        call::raw_call(&client, run.function, run.params, run.controls)
            .preview()
            .map(|p| p.line())
            .map_err(|e| e.to_string())
    });
    match line {
        Ok(line) => format!("whm: {}: {line}", server.name),
        Err(e) => format!("whm: {}: {e}", server.name),
    }
}

/// Prints outcomes as they come.
struct Printer<'a> {
    table: bool,
    name_width: usize,
    list: Option<&'a [String]>,
    bar: Option<crate::progress::Progress>,
    failed: usize,
    stdout: std::io::Stdout,
}

impl Printer<'_> {
    /// Writes `text` to standard output, around the progress bar.
    fn say(&mut self, text: &[u8]) {
        let stdout = &self.stdout;
        let write = || {
            let mut out = stdout.lock();
            let _ = out.write_all(text);
            let _ = out.flush();
        };
        match &mut self.bar {
            Some(bar) => bar.around(write),
            None => write(),
        }
    }

    /// Writes a line to standard error, around the progress bar.
    fn tell(&mut self, text: &str) {
        match &mut self.bar {
            Some(bar) => bar.around(|| crate::tell(text)),
            None => crate::tell(text),
        }
    }

    fn header(&mut self) {
        if self.table {
            let line = format!("{}  outcome\n", fit("server", self.name_width));
            self.say(line.as_bytes());
        }
    }

    fn print(&mut self, server: &str, outcome: Outcome) {
        if outcome.is_err() {
            self.failed += 1;
        }
        if self.table {
            let name = fit(&visible(server), self.name_width);
            let line = match &outcome {
                Ok(pages) => format!("{name}  ok      {}", output::summary(pages, 60)),
                Err(failure) => {
                    let message = visible(&failure.message()).into_owned();
                    format!("{name}  failed  {}", cut(&message, 200))
                }
            };
            self.say(format!("{}\n", line.trim_end()).as_bytes());
        } else {
            let mut line = Vec::new();
            if output::json_line(&mut line, server, outcome, self.list).is_ok() {
                self.say(&line);
            }
        }
    }
}
