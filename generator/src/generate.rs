//! The whole run, for build scripts and the command line: a small builder
//! over the stages (load, lower, render, write).

use std::path::{Path, PathBuf};

use crate::lower::{self, Selection};
use crate::render::{self, Gate, Layout, Options, Rendered};
use crate::spec::{self, SpecError};
use crate::surface::diff::{self, Report};
use crate::surface::stale::Stale;
use crate::surface::{self, Surface};
use crate::write::{self, NewFile, WriteError};

/// Why a run failed; nothing was written.
///
/// Its `Debug` is its message, so that a build script's `.unwrap()` or
/// `.expect(..)` prints where and what went wrong, not the error's fields.
#[derive(thiserror::Error)]
pub enum Error {
    /// A spec is invalid.
    #[error("{0}")]
    Spec(#[from] SpecError),
    /// The generator made code that does not parse (a bug).
    #[error(transparent)]
    Render(#[from] render::RenderError),
    /// Writing failed; the previous output is intact.
    #[error(transparent)]
    Write(#[from] WriteError),
    /// A surface record (`api-surface.json`) cannot be read.
    #[error(transparent)]
    Surface(#[from] surface::ReadError),
    /// The configuration is incomplete.
    #[error("{0}")]
    Config(String),
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

/// The version generated crates get unless [`Config::crate_version`] says otherwise.
pub const DEFAULT_CRATE_VERSION: &str = "0.1.0";

/// What to generate and how. The whole build-script API.
#[derive(Debug, Clone)]
pub struct Config {
    specs: Vec<PathBuf>,
    selection: Selection,
    blocking: bool,
    testing: bool,
    serialize: bool,
    introspection: bool,
    details: bool,
    collisions: lower::Collisions,
    crate_name: Option<String>,
    runtime_dependency: Option<String>,
    crate_version: Option<String>,
    bump_version: bool,
    regenerate: String,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

/// What a crate run did with one crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The crate's directory.
    pub dir: PathBuf,
    /// Whether its files changed.
    pub changed: bool,
    /// What the change means for callers, when the crate had a surface
    /// record before and its surface changed.
    pub changes: Option<Report>,
    /// The crate's version before the run, if it existed.
    pub previous_version: Option<String>,
    /// The version it has now.
    pub version: String,
    /// What the spec says that the crate leaves out (an unusable security
    /// scheme), each with its file and line.
    pub warnings: Vec<String>,
}

/// One spec, rendered.
struct RenderedSpec {
    rendered: Rendered,
    /// The lowered spec's warnings.
    warnings: Vec<String>,
    /// For crates: where the crate goes, what it was, what it becomes.
    target: Option<CrateTarget>,
}

/// A crate about to be written over the one in its directory.
struct CrateTarget {
    dir: PathBuf,
    /// What it will expose (also among its files).
    after: Surface,
    /// What that changes for callers, when the crate has a record.
    report: Option<Report>,
    previous_version: Option<String>,
    version: String,
}

impl Config {
    /// An empty configuration: add specs with [`Config::spec`].
    pub fn new() -> Self {
        Config {
            specs: Vec::new(),
            selection: Selection::default(),
            blocking: false,
            testing: false,
            serialize: false,
            introspection: false,
            details: false,
            collisions: lower::Collisions::Refuse,
            crate_name: None,
            runtime_dependency: None,
            crate_version: None,
            bump_version: false,
            regenerate: "whm-codegen generate".to_owned(),
        }
    }

    /// Adds a spec (OpenAPI 3.0 YAML or JSON).
    pub fn spec(mut self, path: impl AsRef<Path>) -> Self {
        self.specs.push(path.as_ref().to_owned());
        self
    }

    /// Generates only operations under these tags or tag groups.
    pub fn only_tags<I, S>(mut self, tags: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.selection.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// Generates only these operations.
    pub fn only_operations<I, S>(mut self, operations: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.selection
            .operations
            .extend(operations.into_iter().map(Into::into));
        self
    }

    /// With [`Config::generate_to`]: also generate the blocking client (the
    /// `whm-runtime` dependency then needs its `blocking` feature).
    pub fn blocking(mut self, blocking: bool) -> Self {
        self.blocking = blocking;
        self
    }

    /// With [`Config::generate_to`]: also generate the `testing` module, a
    /// fake server for tests (the `whm-runtime` dependency then needs its
    /// `testing` feature).
    pub fn testing(mut self, testing: bool) -> Self {
        self.testing = testing;
        self
    }

    /// With [`Config::generate_to`]: also implement `Serialize` for reply
    /// types, to write a reply back out as JSON.
    pub fn serialize(mut self, serialize: bool) -> Self {
        self.serialize = serialize;
        self
    }

    /// With [`Config::generate_to`]: also generate `each_operation`,
    /// which calls a visitor with each operation's request type (every
    /// operation with its decoders: `OperationInfo::all(each_operation)`),
    /// for tools, tests and fuzzing, and with [`Config::testing`]
    /// `testing::each_example`, an example call of each (implies
    /// [`Config::serialize`]). They are generic: the reply decoders are
    /// compiled in the crate that calls them.
    pub fn introspection(mut self, introspection: bool) -> Self {
        self.introspection = introspection;
        self
    }

    /// With [`Config::generate_to`]: also compile each operation's group,
    /// summary and parameters into its description (`CATALOG`), for
    /// tools that call functions by name and check or list their
    /// parameters, without the decoder table of
    /// [`Config::introspection`]. The fake server of [`Config::testing`]
    /// and that table include them anyway.
    pub fn details(mut self, details: bool) -> Self {
        self.details = details;
        self
    }

    /// When two operations' names give one Rust name (`op_a` and `OpA`,
    /// both the method `op_a`), give the one whose operationId sorts later
    /// a numbered name (`op_a_2`) rather than fail.
    /// Off by default: a newer spec that adds an operation would then
    /// rename an existing method without a word; `x-rust-name` on an
    /// operation names it explicitly.
    pub fn allow_renames(mut self, allow: bool) -> Self {
        self.collisions = if allow {
            lower::Collisions::Rename
        } else {
            lower::Collisions::Refuse
        };
        self
    }

    /// The crate (and file) name, instead of one derived from the spec's file name.
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// With [`Config::generate_crates`]: the `whm-runtime` dependency of the
    /// generated `Cargo.toml`, as a TOML value (`{ git = "...", tag = "..." }`).
    /// Default: a path from each crate to the runtime this generator was
    /// built with ([`crate::dependency::for_crate_in`]).
    pub fn runtime_dependency(mut self, toml: impl Into<String>) -> Self {
        self.runtime_dependency = Some(toml.into());
        self
    }

    /// With [`Config::generate_crates`]: the generated crates' version.
    /// Without it a crate keeps the version in its `Cargo.toml` (so a
    /// version set by hand or by [`Config::bump_version`] stays), and a new
    /// crate gets [`DEFAULT_CRATE_VERSION`].
    pub fn crate_version(mut self, version: impl Into<String>) -> Self {
        self.crate_version = Some(version.into());
        self
    }

    /// With [`Config::generate_crates`]: give a crate whose surface changes
    /// the next version those changes call for (a breaking change in
    /// `0.3.1` makes `0.4.0`, an addition `0.3.2`), as `diff` proposes it.
    pub fn bump_version(mut self, bump: bool) -> Self {
        self.bump_version = bump;
        self
    }

    /// The command named in generated headers.
    pub fn regenerate_with(mut self, command: impl Into<String>) -> Self {
        self.regenerate = command.into();
        self
    }

    fn name_for(&self, spec: &Path) -> Result<String, Error> {
        if let Some(name) = &self.crate_name {
            if self.specs.len() > 1 {
                return Err(Error::Config(
                    "`crate_name` needs exactly one spec".to_owned(),
                ));
            }
            return Ok(name.clone());
        }
        Ok(crate_name_for(spec))
    }

    fn specs(&self) -> Result<&[PathBuf], Error> {
        if self.specs.is_empty() {
            return Err(Error::Config(
                "no spec given: add one with `Config::spec`".to_owned(),
            ));
        }
        Ok(&self.specs)
    }

    /// Renders every spec, as crates under `crates_in` or as single files,
    /// without writing.
    fn render_all(&self, crates_in: Option<&Path>) -> Result<Vec<RenderedSpec>, Error> {
        let specs = self.specs()?;
        // Each spec on a thread of its own: the small ones are done while
        // the biggest loads and lowers, on a core that would be idle. The
        // first error in the specs' order is the one reported, as when
        // they were made one after another.
        let results: Vec<Result<RenderedSpec, Error>> = std::thread::scope(|scope| {
            let runs: Vec<_> = specs
                .iter()
                .map(|path| scope.spawn(move || self.render_spec(path, crates_in)))
                .collect();
            runs.into_iter()
                .map(|run| {
                    run.join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        results.into_iter().collect()
    }

    /// Renders the spec at `path`, as a crate under `crates_in` or as a
    /// single file, without writing.
    fn render_spec(&self, path: &Path, crates_in: Option<&Path>) -> Result<RenderedSpec, Error> {
        let crates = crates_in.is_some();
        let name = self.name_for(path)?;
        let spec = spec::load(path)?;
        let mut api = lower::lower_with(&spec, &self.selection, self.collisions)?;
        let warnings = std::mem::take(&mut api.warnings);
        // A crate keeps a record of what it exposes, so the next run can
        // say what it changed for callers: every type under the name the
        // spec gives it, before equal types are made one.
        let target = match crates_in {
            Some(root) => Some(self.target(root.join(&name), Surface::of(&api))?),
            None => None,
        };
        lower::share_equal_types(&mut api);
        // Lowering boxes what closes a cycle of types; a crate that
        // still has one would not compile, and is never written.
        if let Some(type_name) = lower::unboxed_cycle(&api) {
            return Err(Error::Config(format!(
                "{}: `{type_name}` holds itself by value; please report this with the spec",
                display_name(path, crates_in)
            )));
        }
        let crate_path = name.replace('-', "_");
        let options = Options {
            crate_name: name.clone(),
            crate_path: crates.then(|| crate_path.clone()),
            layout: match &target {
                Some(target) => Layout::Crate {
                    runtime_dependency: match &self.runtime_dependency {
                        Some(toml) => toml.clone(),
                        None => {
                            crate::dependency::for_crate_in(&target.dir).map_err(Error::Config)?
                        }
                    },
                    version: target.version.clone(),
                },
                None => Layout::SingleFile,
            },
            features: crates,
            blocking: gate(crates, self.blocking),
            testing: gate(crates, self.testing),
            serialize: gate(crates, self.serialize),
            introspection: gate(crates, self.introspection),
            details: gate(crates, self.details),
            source: display_name(path, crates_in),
            regenerate: self.regenerate.clone(),
        };
        let mut rendered = render::render(&api, &options)?;
        if let Some(target) = &target {
            rendered.files.push(render::File {
                path: surface::FILE_NAME.to_owned(),
                contents: target.after.to_json(),
            });
            rendered.files.sort_by(|a, b| a.path.cmp(&b.path));
        }
        Ok(RenderedSpec {
            rendered,
            target,
            warnings,
        })
    }

    /// The crate in `dir` as it is and as it will be: its version kept,
    /// set, or bumped as its surface's changes call for.
    fn target(&self, dir: PathBuf, after: Surface) -> Result<CrateTarget, Error> {
        let before = committed_surface(&dir);
        let previous_version = committed_version(&dir);
        let current = previous_version.as_deref().unwrap_or(DEFAULT_CRATE_VERSION);
        let report = before.map(|before| diff::compare(&before, &after));
        let version = match (&self.crate_version, &report) {
            (Some(version), _) => version.clone(),
            (None, Some(report)) if self.bump_version && previous_version.is_some() => report
                .next_version(current)
                .map_err(|e| Error::Config(format!("{}/Cargo.toml: {e}", dir.display())))?,
            _ => current.to_owned(),
        };
        Ok(CrateTarget {
            dir,
            after,
            report,
            previous_version,
            version,
        })
    }

    /// The surface of what `path` generates with this configuration's
    /// selection. `path` is a spec, a surface record (`api-surface.json`),
    /// or a generated crate's directory (its record).
    pub fn surface_of(&self, path: impl AsRef<Path>) -> Result<Surface, Error> {
        let path = path.as_ref();
        let record = if path.is_dir() {
            path.join(surface::FILE_NAME)
        } else {
            path.to_owned()
        };
        let text = std::fs::read_to_string(&record).map_err(|e| surface::ReadError {
            path: record.display().to_string(),
            message: format!(
                "cannot read it ({e}); give a spec, a generated crate's directory or its {}",
                surface::FILE_NAME
            ),
        })?;
        if path.is_dir() || Surface::is_record(&text) {
            let name = record.display().to_string();
            return Ok(Surface::from_json(&text, &name)?.select(&self.selection, &name)?);
        }
        let spec = spec::parse(&text, &path.display().to_string())?;
        Ok(Surface::of(&lower::lower_with(
            &spec,
            &self.selection,
            self.collisions,
        )?))
    }

    /// For build scripts: writes one file per spec into `out_dir`, named
    /// after the crate (`whm_api.rs`), to `include!`. Returns their paths.
    pub fn generate_to(&self, out_dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, Error> {
        let out_dir = out_dir.as_ref();
        let mut written = Vec::new();
        for spec in self.render_all(None)? {
            // Build scripts' output reaches the person building as a
            // cargo warning.
            for warning in &spec.warnings {
                println!("cargo:warning={}", warning.replace(['\r', '\n'], " "));
            }
            for file in spec.rendered.files {
                let path = out_dir.join(&file.path);
                write::write_file(&path, file.contents.as_bytes())?;
                written.push(path);
            }
        }
        Ok(written)
    }

    /// Writes one crate per spec under `out_root` (`generated/whm-api`),
    /// each replaced all at once.
    pub fn generate_crates(&self, out_root: impl AsRef<Path>) -> Result<Vec<Outcome>, Error> {
        let out_root = out_root.as_ref();
        // Render everything before writing anything: a bad spec changes nothing.
        let rendered = self.render_all(Some(out_root))?;
        let mut outcomes = Vec::new();
        for spec in rendered {
            let Some(target) = spec.target else {
                continue;
            };
            let changed = write::replace_dir(&target.dir, &files(spec.rendered))?;
            let changes = changes(changed, target.report);
            outcomes.push(Outcome {
                dir: target.dir,
                changed,
                changes,
                previous_version: target.previous_version,
                version: target.version,
                warnings: spec.warnings,
            });
        }
        Ok(outcomes)
    }

    /// Compares the crates under `out_root` with what the specs generate;
    /// returns the stale ones.
    pub fn check_crates(&self, out_root: impl AsRef<Path>) -> Result<Vec<Stale>, Error> {
        let out_root = out_root.as_ref();
        let mut stale = Vec::new();
        for spec in self.render_all(Some(out_root))? {
            let Some(target) = spec.target else {
                continue;
            };
            let expected = files(spec.rendered);
            let diff = write::compare_dir(&target.dir, &expected)?;
            if !diff.is_empty() {
                stale.push(Stale {
                    dir: target.dir,
                    diff,
                    expected,
                    changes: changes(true, target.report),
                    previous_version: target.previous_version,
                });
            }
        }
        Ok(stale)
    }
}

/// The surface record a generated crate holds, if it holds a readable one
/// (crates generated before records existed do not).
fn committed_surface(dir: &Path) -> Option<Surface> {
    let path = dir.join(surface::FILE_NAME);
    let text = std::fs::read_to_string(&path).ok()?;
    Surface::from_json(&text, &path.display().to_string()).ok()
}

/// The `version` of the crate whose `Cargo.toml` is in `dir`, if it has one.
fn committed_version(dir: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    // The generated manifest's `[package]` table comes first and says
    // `version = "..."` on a line of its own; a hand-edited one still does.
    manifest
        .lines()
        .take_while(|line| !line.starts_with("[dependencies") && !line.starts_with("[features"))
        .find_map(|line| {
            let value = line.trim().strip_prefix("version")?.trim_start();
            let value = value.strip_prefix('=')?.trim();
            Some(value.strip_prefix('"')?.strip_suffix('"')?.to_owned())
        })
}

/// What a change of output means for callers, when there is something to say.
fn changes(changed: bool, report: Option<Report>) -> Option<Report> {
    report.filter(|r| changed && !r.is_empty())
}

/// Crates put optional parts behind features; a single file has them or not.
fn gate(crates: bool, wanted: bool) -> Gate {
    match (crates, wanted) {
        (true, _) => Gate::Feature,
        (false, true) => Gate::Always,
        (false, false) => Gate::Never,
    }
}

fn files(rendered: Rendered) -> Vec<NewFile> {
    rendered
        .files
        .into_iter()
        .map(|f| NewFile {
            path: f.path,
            contents: f.contents.into_bytes(),
        })
        .collect()
}

/// A spec's path as generated headers name it, `/`-separated: as it was
/// given (relative to where the generator ran, as the command in the
/// header is); an absolute path inside the directory that holds the
/// crates' directory (`generated/`'s parent) relative to it, so that the
/// header does not depend on where the checkout is.
fn display_name(path: &Path, crates_in: Option<&Path>) -> String {
    let base = crates_in
        .and_then(|root| std::path::absolute(root).ok())
        .and_then(|root| root.parent().map(Path::to_owned));
    let path = match base {
        Some(base) if path.is_absolute() => path.strip_prefix(&base).unwrap_or(path),
        _ => path,
    };
    let parts: Vec<String> = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| match c {
            std::path::Component::RootDir => String::new(),
            other => other.as_os_str().to_string_lossy().into_owned(),
        })
        .collect();
    parts.join("/")
}

/// The crate name for a spec file: its stem without a trailing version
/// (`whm-api-1.yaml` → `whm-api`, `sitehost-api-1.3.yaml` → `sitehost-api`).
pub fn crate_name_for(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = stem
        .strip_suffix(".json")
        .or_else(|| stem.strip_suffix(".yaml"))
        .unwrap_or(&stem);
    let name = match stem.rsplit_once('-') {
        Some((name, version))
            if !name.is_empty() && version.chars().all(|c| c.is_ascii_digit() || c == '.') =>
        {
            name
        }
        _ => stem,
    };
    // A package name is letters, digits, `-` and `_` (`autotask.net.json`
    // gives `autotask-net`), and does not start with a digit.
    let words: Vec<&str> = name
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    match words.join("-") {
        name if name.is_empty() => "api".to_owned(),
        name if name.starts_with(|c: char| c.is_ascii_digit()) => format!("api-{name}"),
        name => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crate_names_drop_the_version() {
        assert_eq!(crate_name_for(Path::new("spec/whm-api-1.yaml")), "whm-api");
        assert_eq!(
            crate_name_for(Path::new("spec/cpanel-api-2.yaml")),
            "cpanel-api"
        );
        assert_eq!(
            crate_name_for(Path::new("sitehost-api-1.3.yaml")),
            "sitehost-api"
        );
        assert_eq!(crate_name_for(Path::new("plain.yaml")), "plain");
        // Names of public documents as they are published.
        assert_eq!(
            crate_name_for(Path::new("autotask.net.json")),
            "autotask-net"
        );
        assert_eq!(crate_name_for(Path::new("my api (v2).yaml")), "my-api-v2");
        assert_eq!(
            crate_name_for(Path::new("1forge.com.json")),
            "api-1forge-com"
        );
        assert_eq!(crate_name_for(Path::new("..yaml")), "api");
    }

    #[test]
    fn specs_made_at_once_report_the_first_bad_one_and_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let good = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";
        let write = |name: &str, text: &str| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).unwrap();
            path
        };
        let specs = [
            write("a-good.yaml", good),
            write("b-bad.yaml", "openapi: 3.0.3\ninfo: [\n"),
            write("c-good.yaml", good),
            write("d-bad.yaml", "openapi: 2.0\n"),
        ];
        let out = dir.path().join("out");
        for _ in 0..20 {
            let config = specs
                .iter()
                .fold(Config::new(), |config, spec| config.spec(spec));
            let e = config.generate_crates(&out).unwrap_err().to_string();
            assert!(e.contains("b-bad.yaml"), "{e}");
            assert!(!out.exists(), "nothing is written when a spec is bad");
        }
    }

    #[test]
    fn display_names_are_the_path_given() {
        assert_eq!(
            display_name(Path::new("./spec/whm-api-1.yaml"), None),
            "spec/whm-api-1.yaml"
        );
        assert_eq!(
            display_name(Path::new("../spec/a.yaml"), None),
            "../spec/a.yaml"
        );
        assert_eq!(
            display_name(Path::new("/srv/api/a.yaml"), None),
            "/srv/api/a.yaml"
        );
        assert_eq!(
            display_name(
                Path::new("/home/x/repo/spec/a.yaml"),
                Some(Path::new("/home/x/repo/generated"))
            ),
            "spec/a.yaml"
        );
    }
}
