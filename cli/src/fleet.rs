//! One call on many servers at once: a slow or failing server never holds
//! up or hides the others; each server's outcome is reported.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Semaphore;

use crate::call::{self, Controls, Outcome};
use crate::output::Format;
use crate::servers::Server;

/// What every server is asked.
pub struct Run<'a> {
    pub function: &'a str,
    pub params: &'a whm_runtime::Params,
    pub controls: &'a Controls,
    pub list: Option<&'a str>,
    /// Servers called at once.
    pub concurrency: usize,
    /// The longest one server may take, whatever it does.
    pub deadline: Duration,
}

/// One server's outcome.
#[derive(Debug)]
pub struct Reported {
    pub server: String,
    /// The payload, or what went wrong and its exit status.
    pub outcome: std::result::Result<Value, (String, u8)>,
}

/// Runs the call on every server, `concurrency` at a time, with a
/// progress bar on a terminal; results in the servers' order.
pub async fn run(servers: &[Server], run: &Run<'_>) -> Vec<Reported> {
    let gate = Arc::new(Semaphore::new(run.concurrency));
    let bar = progress(servers.len());
    let mut tasks = Vec::new();
    for server in servers {
        let (server, gate, bar) = (server.clone(), gate.clone(), bar.clone());
        let (function, params, controls, list, deadline) = (
            run.function.to_owned(),
            run.params.clone(),
            run.controls.clone(),
            run.list.map(str::to_owned),
            run.deadline,
        );
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await;
            let call = call::run(&server, &function, &params, &controls, list.as_deref());
            let outcome = match tokio::time::timeout(deadline, call).await {
                Ok(Outcome::Done { data, .. }) => Ok(data),
                Ok(Outcome::Failed { error, .. }) => {
                    Err((error.to_string(), call::status_of(&error)))
                }
                Err(_) => Err((format!("no answer within {}s", deadline.as_secs()), 4)),
            };
            if let Some(bar) = &bar {
                bar.inc(1);
            }
            Reported {
                server: server.name.clone(),
                outcome,
            }
        }));
    }
    let mut results = Vec::new();
    for (task, server) in tasks.into_iter().zip(servers) {
        results.push(task.await.unwrap_or_else(|e| Reported {
            server: server.name.clone(),
            outcome: Err((format!("the call stopped: {e}"), 4)),
        }));
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    results
}

fn progress(total: usize) -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(total as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} servers") {
        bar.set_style(style);
    }
    Some(bar)
}

/// Prints the results: a table on a terminal, else JSON lines
/// (`server`, `ok`, `data` or `error`); the exit status: 0 when every
/// server succeeded, else 5.
pub fn print(results: &[Reported], format: Option<Format>, terminal: bool) -> u8 {
    let table = match format {
        Some(Format::Table) => true,
        None => terminal,
        _ => false,
    };
    let mut out = String::new();
    if table {
        let width = results
            .iter()
            .map(|r| r.server.chars().count())
            .max()
            .unwrap_or(6)
            .max(6);
        out.push_str(&format!("{:<width$}  outcome\n", "server"));
        for r in results {
            let outcome = match &r.outcome {
                Ok(data) => format!("ok  {}", summary(data)),
                Err((message, _)) => format!("failed  {}", message.lines().next().unwrap_or("")),
            };
            out.push_str(&format!("{:<width$}  {outcome}\n", r.server));
        }
    } else {
        for r in results {
            let line = match &r.outcome {
                Ok(data) => json!({"server": r.server, "ok": true, "data": data}),
                Err((message, status)) => json!({
                    "server": r.server,
                    "ok": false,
                    "error": {"message": message, "status": status},
                }),
            };
            out.push_str(&line.to_string());
            out.push('\n');
        }
    }
    crate::say(&out);
    let failed = results.iter().filter(|r| r.outcome.is_err()).count();
    if failed > 0 {
        crate::tell(&format!(
            "whm: {failed} of {} servers failed",
            results.len()
        ));
        5
    } else {
        0
    }
}

/// A payload in a few words, for a table cell.
fn summary(data: &Value) -> String {
    let text = data.to_string();
    if text.chars().count() > 60 {
        text.chars().take(59).collect::<String>() + "…"
    } else {
        text
    }
}
