//! The `harbour` command: thin glue over the libraries. It parses arguments, opens the store
//! and calls into `harbour-server`; it holds no rules of its own.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use harbour_app::{demo, App, Now};
use harbour_domain::Role;
use harbour_server::{AppState, ServerConfig};
use harbour_store::{Keyring, Store};

#[derive(Parser)]
#[command(name = "harbour", version, about = "Safeguarding case records and lawful sharing between agencies")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server and API.
    Serve(ServeArgs),
    /// Create or update the database schema.
    Migrate(StoreArgs),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API bearer tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Load the synthetic demo data set into an empty database.
    Demo(StoreArgs),
    /// The tamper-evident ledger: verify it, print its signed tree head.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Privacy notices as policy packs: check, render, load a new version.
    #[command(subcommand)]
    Notice(NoticeCommand),
    /// The retention schedule: disposal dates, the sweep, destruction certificates.
    #[command(subcommand)]
    Retention(RetentionCommand),
    /// Subject access and the other rights: when an answer is due.
    #[command(subcommand)]
    Sar(SarCommand),
    /// Find what a bundle must not show: reads JSON Lines `{"id", "text", "known_people"?}` on
    /// standard input, writes `{"id", "spans": [[start, end, "KIND"], ...]}` (offsets in Unicode
    /// characters). Nothing is written unless every line can be read.
    Redact,
    /// Back up and restore the database (the data keys stay in the vault, backed up apart).
    #[command(subcommand)]
    Backup(BackupCommand),
}

#[derive(Subcommand)]
enum BackupCommand {
    /// Write a consistent copy of the SQLite database. It holds no data keys.
    Create {
        #[command(flatten)]
        store: StoreArgs,
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup back as the data directory's SQLite database, keeping the ledger and the
    /// destruction log of the database it replaces (what the backup lacks is re-appended), log
    /// the restore in the ledger, and drop the file of everyone destroyed since the backup was
    /// taken (their keys are gone from the vault). Stop Harbour first.
    Restore {
        #[command(flatten)]
        store: StoreArgs,
        /// The backup file.
        file: PathBuf,
        /// Replace the database the data directory holds now.
        #[arg(long)]
        replace: bool,
        /// Where the database is gone: a copy of the ledger taken earlier (`harbour ledger
        /// export`) to re-append from.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// After restoring a database by other means (pg_restore): re-append the ledger and the
    /// destruction log from a copy taken before the restore (`harbour ledger export`), log the
    /// restore, and drop the file of everyone whose data key is no longer in the vault. Run it
    /// before Harbour starts on the restored database.
    Reconcile {
        #[command(flatten)]
        store: StoreArgs,
        /// The ledger copy written by `harbour ledger export` before the restore. Without it,
        /// entries logged after the backup was taken are not in the restored ledger.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum SarCommand {
    /// The day the answer to a request is due: one calendar month from the day it (or the
    /// identity or clarification asked for) was received, the month's last day where it has no
    /// such date, moved to the next working day off weekends and England and Wales bank
    /// holidays; three months for a complex request that was extended.
    Deadline {
        /// The day the request was received, YYYY-MM-DD.
        #[arg(long)]
        received: jiff::civil::Date,
        /// The day the identity or clarification asked for was received, YYYY-MM-DD.
        #[arg(long)]
        id_received: Option<jiff::civil::Date>,
        /// The request is complex and was extended by two further months.
        #[arg(long)]
        extended: bool,
        /// A day the council is closed that is not a bank holiday (repeat for more).
        #[arg(long = "closed-on", value_name = "YYYY-MM-DD")]
        closed_on: Vec<jiff::civil::Date>,
    },
}

#[derive(Subcommand)]
enum RetentionCommand {
    /// Print a record's disposal date under one row of a notice's schedule (YYYY-MM-DD, or
    /// `never` for a row kept permanently). When a statutory floor for the record class is
    /// later than the row's date, the floor's date is printed and a second line names it.
    Date {
        /// The notice: a built-in pack's id (e.g. bcp-childrens-services), a pack file, or
        /// `statutory` for the law's own rows (e.g. --pack statutory --class adoption).
        #[arg(long)]
        pack: String,
        /// The row's id in the pack's retention table (e.g. child-protection-plan).
        #[arg(long)]
        class: String,
        /// Date of birth.
        #[arg(long)]
        dob: Option<jiff::civil::Date>,
        /// Date the case closed.
        #[arg(long)]
        closed: Option<jiff::civil::Date>,
        /// Date the child left school.
        #[arg(long)]
        left_school: Option<jiff::civil::Date>,
        /// Date the record was made.
        #[arg(long)]
        created: Option<jiff::civil::Date>,
        /// Date the report was published.
        #[arg(long)]
        published: Option<jiff::civil::Date>,
        /// Date the person died (a looked-after child who died before 18: 15 years from it).
        #[arg(long)]
        died: Option<jiff::civil::Date>,
        /// The record's class (e.g. looked_after), for its statutory floor; by default the
        /// row's, when the row lists exactly one.
        #[arg(long)]
        record_class: Option<String>,
    },
    /// Find the files due for disposal and put them in the records manager's review queue.
    /// Never destroys anything: destruction follows an approval in the queue.
    Sweep {
        #[command(flatten)]
        store: StoreArgs,
        /// Sweep as of this day (default today).
        #[arg(long)]
        as_of: Option<jiff::civil::Date>,
        /// Report what is due without changing the queue.
        #[arg(long)]
        dry_run: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print a destruction certificate.
    Certificate {
        #[command(flatten)]
        store: StoreArgs,
        id: harbour_domain::CertificateId,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Recompute the whole tree and check every entry and signed tree head; exits non-zero at
    /// the first entry that is not as logged.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// A signed tree head saved earlier (JSON from `harbour ledger sth`): also prove the
        /// log is a consistent extension of it.
        #[arg(long)]
        against: Option<PathBuf>,
    },
    /// Print the current signed tree head as JSON, for a witness to keep.
    Sth {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Copy the ledger and the destruction log (ids, hashes and metadata; no case data) to a new
    /// file (mode 0600). Take one before restoring a database with pg_restore, and give it to
    /// `harbour backup reconcile --ledger`, so the restore keeps every entry logged since the backup.
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// The file to write (must not exist).
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum NoticeCommand {
    /// Check packs; problems are printed as FILE:LINE:COLUMN: message.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Render a pack as the public notice.
    Render {
        file: PathBuf,
        #[arg(long, default_value = "md", value_parser = ["md", "html"])]
        format: String,
    },
    /// Print, for each notice in force, which organisations of the directory each entry of its
    /// recipients table names and why: the mapping the sharing checks enforce, to review.
    Recipients {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Store a pack as a new version; it applies from its effective date (on the next start).
    Load {
        #[command(flatten)]
        store: StoreArgs,
        file: PathBuf,
    },
}

#[derive(Args, Clone)]
struct StoreArgs {
    /// Where Harbour keeps its keys (and its SQLite database unless --database-url is given).
    #[arg(long, env = "HARBOUR_DATA_DIR", default_value = "harbour-data")]
    data_dir: PathBuf,
    /// A postgres://… URL to use PostgreSQL instead of the embedded SQLite database.
    #[arg(long, env = "HARBOUR_DATABASE_URL")]
    database_url: Option<String>,
    /// A file holding the master key (32 bytes or 64 hex digits), kept apart from the data
    /// directory; without it the key is `<data dir>/keys/master.key`, created on first use.
    #[arg(long, env = "HARBOUR_MASTER_KEY_FILE")]
    master_key_file: Option<PathBuf>,
    /// A file holding the ledger's signing key (32 bytes or 64 hex digits), kept apart from the
    /// data; without it the key is `<data dir>/keys/ledger.key`, created on first use.
    #[arg(long, env = "HARBOUR_LEDGER_KEY_FILE")]
    ledger_key_file: Option<PathBuf>,
    /// The key vault's file (every person's data key, wrapped by the master key), kept apart
    /// from the data; without it `<data dir>/keys/vault.db`.
    #[arg(long, env = "HARBOUR_VAULT")]
    vault: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum CookieSecure {
    /// Secure cookies unless listening on a loopback address over plain HTTP.
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct ServeArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// Address to listen on.
    #[arg(long, env = "HARBOUR_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Load the synthetic demo data into an empty database and allow the demo accounts.
    #[arg(long)]
    demo: bool,
    /// When to mark cookies Secure (HTTPS only).
    #[arg(long, env = "HARBOUR_COOKIE_SECURE", value_enum, default_value = "auto")]
    cookie_secure: CookieSecure,
    /// The header in which a trusted reverse proxy passes the client's address (e.g.
    /// X-Forwarded-For; the last address in it counts). Only with a proxy that sets it:
    /// without this option such headers are ignored and the connection's address is used.
    #[arg(long, env = "HARBOUR_TRUSTED_PROXY_HEADER")]
    trusted_proxy_header: Option<harbour_server::HeaderName>,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Add a staff account.
    Add(UserAddArgs),
}

#[derive(Args)]
struct UserAddArgs {
    #[command(flatten)]
    store: StoreArgs,
    /// The organisation's slug, e.g. bcp-childrens.
    #[arg(long)]
    org: String,
    /// practitioner, team_manager, hub, dpo, caldicott_guardian, records_manager,
    /// partner_practitioner, dhr_panel, auditor or admin.
    #[arg(long)]
    role: String,
    /// The username to sign in with (a–z, 0–9, '.', '_', '-').
    #[arg(long)]
    name: String,
    /// The name shown in the interface (defaults to the username).
    #[arg(long)]
    display_name: Option<String>,
    /// The team's name within the organisation.
    #[arg(long)]
    team: Option<String>,
    /// Read a password (at least 12 characters) from the first line of standard input.
    #[arg(long)]
    password_stdin: bool,
    /// Also issue an API bearer token, printed as the last line.
    #[arg(long)]
    token: bool,
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue a new API bearer token for a user; the token is printed as the last line.
    Issue {
        #[command(flatten)]
        store: StoreArgs,
        #[arg(long)]
        user: String,
    },
}

fn database_url(args: &StoreArgs) -> String {
    args.database_url.clone().unwrap_or_else(|| Store::sqlite_url(&args.data_dir))
}

/// The URL with any password replaced, for printing.
fn redacted(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The master key and the key vault, wherever the deployment keeps them.
fn keyring(args: &StoreArgs) -> Result<Keyring> {
    // The data directory holds the database and, by default, the keys: only its owner enters it.
    harbour_store::create_private_dir(&args.data_dir)
        .with_context(|| format!("cannot create the data directory {}", args.data_dir.display()))?;
    Keyring::locate(&args.data_dir, args.master_key_file.as_deref(), args.vault.as_deref())
        .context("cannot load the master key and the key vault")
}

async fn open_store(args: &StoreArgs) -> Result<Store> {
    let keys = keyring(args)?;
    let url = database_url(args);
    Store::open(&url, keys).await.with_context(|| format!("cannot open the database at {}", redacted(&url)))
}

/// The ledger's signing key: `--ledger-key-file`, else `<data dir>/keys/ledger.key`, made only
/// for a ledger with no signed heads yet (a new key would not verify the ones it has).
async fn ledger_signer(args: &StoreArgs, store: &Store) -> Result<harbour_ledger::TreeSigner> {
    let unsigned = store.latest_tree_head("").await?.is_none();
    harbour_store::load_ledger_signer(&args.data_dir, args.ledger_key_file.as_deref(), unsigned)
        .context("cannot load the ledger key")
}

#[tokio::main]
async fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HARBOUR_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(args) => {
            open_store(&args).await?;
            println!("database at {} is up to date", redacted(&database_url(&args)));
            Ok(())
        }
        Command::User(UserCommand::Add(args)) => user_add(args).await,
        Command::Notice(cmd) => notice(cmd).await,
        Command::Ledger(cmd) => ledger(cmd).await,
        Command::Retention(cmd) => retention(cmd).await,
        Command::Redact => redact(std::io::stdin().lock(), &mut std::io::stdout().lock()),
        Command::Sar(SarCommand::Deadline { received, id_received, extended, closed_on }) => {
            let d = harbour_domain::sar_deadline(received, id_received, extended, &closed_on);
            println!("{}", d.due_on);
            for day in &d.skipped {
                println!("not {}: {}", day.date, day.why);
            }
            Ok(())
        }
        Command::Backup(cmd) => backup(cmd).await,
        Command::Demo(args) => {
            let store = open_store(&args).await?;
            if !store.is_empty().await? {
                bail!("the database already holds data; demo data goes only into an empty one");
            }
            load_demo(&store).await
        }
        Command::Token(TokenCommand::Issue { store, user }) => {
            let store = open_store(&store).await?;
            let user = store.user_by_username(&user).await.with_context(|| format!("no user named {user:?}"))?;
            let token = harbour_app::accounts::issue_token(&store, &user).await?;
            println!("{token}");
            Ok(())
        }
    }
}

async fn ledger(cmd: LedgerCommand) -> Result<()> {
    match cmd {
        LedgerCommand::Verify { store: args, against } => {
            let store = open_store(&args).await?;
            let trusted = ledger_signer(&args, &store).await?.public_key();
            let saved = match against {
                None => None,
                Some(path) => {
                    let text =
                        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
                    Some(
                        serde_json::from_str::<harbour_ledger::SignedTreeHead>(&text)
                            .with_context(|| format!("{} is not a signed tree head", path.display()))?,
                    )
                }
            };
            let report = store.verify_ledger(&trusted, saved.as_ref()).await?;
            match report.fault {
                None => {
                    println!(
                        "ledger ok: {} entries, {} signed tree heads verified",
                        report.entries, report.heads_checked
                    );
                    if let Some(s) = saved {
                        println!("consistent with the saved head of {} entries", s.tree_size);
                    }
                    Ok(())
                }
                Some(f) => {
                    println!("first bad entry: {}", f.index);
                    bail!("the ledger has been tampered with: {}", f.problem)
                }
            }
        }
        LedgerCommand::Sth { store: args } => {
            let mut store = open_store(&args).await?;
            // Sequence anything logged since the server last ran, so the head is current.
            store.start_ledger(ledger_signer(&args, &store).await?).await?;
            let key = store.ledger_public_key().unwrap_or_default().to_string();
            let head = store.latest_tree_head(&key).await?.context("nothing has been logged yet")?;
            println!("{}", serde_json::to_string_pretty(&head)?);
            Ok(())
        }
        LedgerCommand::Export { store: args, out } => {
            let mut store = open_store(&args).await?;
            // Sequence and sign what was logged since Harbour last ran, so the copy is complete.
            store.start_ledger(ledger_signer(&args, &store).await?).await?;
            let copy = store
                .export_ledger(&out, 0)
                .await
                .with_context(|| format!("cannot write the ledger copy to {}", out.display()))?;
            println!(
                "ledger of {} entries and {} destruction log lines copied to {}",
                copy.tree_size,
                copy.destruction_records,
                out.display()
            );
            Ok(())
        }
    }
}

async fn backup(cmd: BackupCommand) -> Result<()> {
    match cmd {
        BackupCommand::Create { store, out } => {
            let store = open_store(&store).await?;
            store.backup_into(&out).await.with_context(|| format!("cannot write the backup to {}", out.display()))?;
            println!("backed up to {} (the data keys are not in it: back up keys/ apart)", out.display());
            Ok(())
        }
        BackupCommand::Restore { store: args, file, replace, ledger } => {
            if args.database_url.is_some() {
                bail!(
                    "restore a PostgreSQL database with pg_restore (after `harbour ledger export`), then run \
                     `harbour backup reconcile --ledger`"
                );
            }
            if !file.is_file() {
                bail!("no backup file at {}", file.display());
            }
            let db = args.data_dir.join("harbour.db");
            if db.exists() && !replace {
                bail!("{} already holds a database; give --replace to overwrite it", args.data_dir.display());
            }
            if let Some(copy) = &ledger {
                if db.exists() {
                    bail!(
                        "--ledger is for restoring where the database is gone; the ledger of {} is carried over",
                        db.display()
                    );
                }
                if !copy.is_file() {
                    bail!("no ledger copy at {}", copy.display());
                }
            }
            let keys = keyring(&args)?;
            let report = harbour_store::restore_sqlite_backup(
                &args.data_dir,
                &file,
                keys,
                args.ledger_key_file.as_deref(),
                ledger.as_deref(),
            )
            .await
            .with_context(|| format!("cannot restore {}; the database was left as it was", file.display()))?;
            print_restore(&report);
            Ok(())
        }
        BackupCommand::Reconcile { store: args, ledger } => {
            if let Some(copy) = &ledger {
                if !copy.is_file() {
                    bail!("no ledger copy at {}", copy.display());
                }
            }
            let mut store = open_store(&args).await?;
            let signer = ledger_signer(&args, &store).await?;
            let report = store.finish_restore(ledger.as_deref(), signer).await.context("cannot reconcile")?;
            print_restore(&report);
            Ok(())
        }
    }
}

fn print_restore(report: &harbour_store::RestoreReport) {
    match &report.carried {
        Some(c) => println!(
            "restored; the backup's ledger held {} entries: {} later entries and {} destruction certificate(s) were \
             kept from the ledger of {} entries",
            report.backup_tree_size, c.entries, c.certificates, c.copy_tree_size
        ),
        None => println!(
            "restored; the backup's ledger held {} entries and no later ledger was given to keep: entries logged \
             after the backup was taken are not in it (give --ledger with a copy from `harbour ledger export`)",
            report.backup_tree_size
        ),
    }
    println!(
        "{} file(s) destroyed since the backup was taken were dropped (their keys are gone); the restore is \
         entry {} of the ledger, which verifies ({} entries)",
        report.dropped.len(),
        report.entry,
        report.tree_size
    );
}

async fn retention(cmd: RetentionCommand) -> Result<()> {
    match cmd {
        RetentionCommand::Date { pack, class, dob, closed, left_school, created, published, died, record_class } => {
            let facts = harbour_retention::Facts { date_of_birth: dob, closed, left_school, created, published, died };
            retention_date(&pack, &class, facts, record_class)
        }
        RetentionCommand::Sweep { store, as_of, dry_run, json } => retention_sweep(store, as_of, dry_run, json).await,
        RetentionCommand::Certificate { store, id } => retention_certificate(store, id).await,
    }
}

/// The notices `harbour retention date` reads its row from: the statutory floors alone, a pack
/// file, or a built-in notice by its id.
fn retention_packs(pack: &str) -> Result<Vec<harbour_policy::pack::PolicyPack>> {
    if pack == harbour_retention::STATUTORY {
        return Ok(Vec::new());
    }
    if std::path::Path::new(pack).is_file() {
        let (name, src) = read_pack_file(std::path::Path::new(pack))?;
        return Ok(vec![harbour_policy::pack::load(&name, &src).map_err(|e| anyhow::anyhow!("{e}"))?]);
    }
    let all = harbour_policy::built_in_packs().map_err(|e| anyhow::anyhow!("{e}"))?;
    let known: Vec<String> = all.iter().map(|p| p.id().to_string()).collect();
    let found: Vec<_> = all.into_iter().filter(|p| p.id() == pack).collect();
    if found.is_empty() {
        bail!("no notice {pack:?}: give a pack file, {} or one of {}", harbour_retention::STATUTORY, known.join(", "));
    }
    Ok(found)
}

/// `harbour retention date`: the disposal date a row gives a record with these facts.
fn retention_date(
    pack: &str,
    class: &str,
    facts: harbour_retention::Facts,
    record_class: Option<String>,
) -> Result<()> {
    let packs = retention_packs(pack)?;
    let schedule = harbour_retention::Schedule::from_packs(&packs);
    let notice = packs.first().map_or(harbour_retention::STATUTORY, |p| p.id());
    let key = format!("{notice}/{class}");
    let row = schedule.class(&key).map_err(|_| {
        let rows: Vec<&str> =
            schedule.classes().iter().filter(|c| c.notice == notice).map(|c| c.row.as_str()).collect();
        anyhow::anyhow!("{notice} has no retention row {class:?}; its rows are {}", rows.join(", "))
    })?;
    let record_class = match record_class {
        Some(code) => Some(harbour_domain::RecordClass::from_code(&code).ok_or_else(|| {
            let all: Vec<&str> = harbour_domain::RecordClass::ALL.iter().map(|c| c.code()).collect();
            anyhow::anyhow!("no record class {code:?}; the classes are {}", all.join(", "))
        })?),
        None => match row.record_classes.as_slice() {
            [only] => Some(*only),
            _ => None,
        },
    };
    let disposal = match record_class {
        Some(rc) => row.disposal_of(rc, &facts),
        None => row.disposal(&facts),
    };
    match disposal {
        harbour_retention::Disposal::On { date, floor } => {
            println!("{date}");
            if let Some(floor) = floor {
                println!("{}", floor.describe());
            }
        }
        harbour_retention::Disposal::Never => println!("never"),
        harbour_retention::Disposal::Pending { trigger } if trigger == row.trigger => {
            bail!("row {class:?} ({}) counts from {}: give {}", row.period, trigger.label(), trigger.flag())
        }
        harbour_retention::Disposal::Pending { trigger } => {
            bail!("the statutory floor for this record counts from {}: give {}", trigger.label(), trigger.flag())
        }
    }
    Ok(())
}

/// `harbour retention sweep`: fills the review queue (or, as a dry run, says what it would).
async fn retention_sweep(store: StoreArgs, as_of: Option<jiff::civil::Date>, dry_run: bool, json: bool) -> Result<()> {
    let store = open_store(&store).await?;
    let people = store.count_people().await?;
    let app = App::from_store(store, Now::read().today()).await.context("loading the privacy notices")?;
    let bar = indicatif::ProgressBar::new(people.max(0) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} people ({per_sec}, {eta} left)")
            .expect("a valid template"),
    );
    if json {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let as_of = as_of.unwrap_or_else(|| Now::read().today());
    let report = app.sweep(None, as_of, dry_run, |n| bar.set_position(n)).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        let c = &report.counts;
        println!(
            "{} as of {as_of}: {} people, {} records; {} due ({} newly queued), {} held, {} not yet due, \
             {} waiting for a trigger, {} kept permanently, {} kept by no record; {} left the queue.",
            if dry_run { "Dry run" } else { "Swept" },
            c.people,
            c.records,
            c.due,
            report.queued.count,
            c.held,
            c.not_yet,
            c.pending,
            c.never,
            c.unattached,
            report.left.count
        );
        if report.classified > 0 {
            println!("{} older episodes were given their record class's retention class.", report.classified);
        }
        println!("Nothing was destroyed: approve due files in the review queue.");
    }
    Ok(())
}

/// `harbour retention certificate`: a destruction certificate, as text.
async fn retention_certificate(store: StoreArgs, id: harbour_domain::CertificateId) -> Result<()> {
    let store = open_store(&store).await?;
    let d = store.destruction(id).await.with_context(|| format!("no destruction certificate {id}"))?;
    let who = store.user(d.authorised_by).await?;
    print!("{}", harbour_app::retention::certificate_text(&d, &format!("{} ({})", who.display_name, who.username)));
    Ok(())
}

/// One note for `harbour redact`.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RedactIn {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    known_people: Vec<String>,
}

/// `harbour redact`: every line is read and checked before anything is written.
fn redact(input: impl std::io::BufRead, out: &mut impl std::io::Write) -> Result<()> {
    let mut notes = Vec::new();
    for (n, line) in input.lines().enumerate() {
        let line = line.context("reading standard input")?;
        if line.trim().is_empty() {
            continue;
        }
        let note: RedactIn = serde_json::from_str(&line)
            .with_context(|| format!("line {}: not a note (give {{\"id\", \"text\", \"known_people\"?}})", n + 1))?;
        notes.push(note);
    }
    let redactor = harbour_redact::Redactor::new();
    for note in notes {
        let spans: Vec<(usize, usize, &str)> = redactor
            .find(&note.text, &note.known_people)
            .into_iter()
            .map(|s| (s.start, s.end, s.kind.code()))
            .collect();
        writeln!(out, "{}", serde_json::json!({ "id": note.id, "spans": spans }))?;
    }
    Ok(())
}

fn read_pack_file(path: &std::path::Path) -> Result<(String, String)> {
    let name = path.display().to_string();
    let src = std::fs::read_to_string(path).with_context(|| format!("cannot read {name}"))?;
    Ok((name, src))
}

async fn notice(cmd: NoticeCommand) -> Result<()> {
    match cmd {
        NoticeCommand::Check { files } => {
            let mut failed = false;
            for path in files {
                let (name, src) = read_pack_file(&path)?;
                match harbour_policy::pack::load(&name, &src) {
                    Ok(p) => println!("{name}: ok ({} version {})", p.id(), p.pack.version),
                    Err(errors) => {
                        eprintln!("{errors}");
                        failed = true;
                    }
                }
            }
            if failed {
                bail!("some packs have problems");
            }
            Ok(())
        }
        NoticeCommand::Render { file, format } => {
            let (name, src) = read_pack_file(&file)?;
            let pack = harbour_policy::pack::load(&name, &src).map_err(|e| anyhow::anyhow!("{e}"))?;
            let format = format.parse().map_err(|e: String| anyhow::anyhow!(e))?;
            print!("{}", harbour_policy::pack::render(&pack, format));
            Ok(())
        }
        NoticeCommand::Recipients { store } => {
            let store = open_store(&store).await?;
            harbour_app::notices::install_built_in(&store).await?;
            let packs = harbour_app::notices::in_force(&store, Now::read().today()).await?;
            let directory = store.organisations().await?;
            for pack in &packs {
                println!("{}", harbour_policy::pack::recipients_table(pack, &directory));
            }
            Ok(())
        }
        NoticeCommand::Load { store, file } => {
            let (name, src) = read_pack_file(&file)?;
            let store = open_store(&store).await?;
            harbour_app::notices::install_built_in(&store).await?;
            let (pack, added) = harbour_app::notices::record(&store, &name, &src).await?;
            if added {
                println!(
                    "stored {} version {}, in force from {}",
                    pack.id(),
                    pack.pack.version,
                    pack.pack.effective_from.get_ref()
                );
            } else {
                println!("{} version {} is already stored with this text", pack.id(), pack.pack.version);
            }
            Ok(())
        }
    }
}

async fn user_add(args: UserAddArgs) -> Result<()> {
    let role = Role::from_code(&args.role).with_context(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
        format!("unknown role {:?}; use one of {}", args.role, all.join(", "))
    })?;
    harbour_domain::check_username(&args.name)?;
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let pw = line.trim_end_matches(['\r', '\n']).to_string();
        harbour_domain::check_password(&pw)?;
        Some(pw)
    } else {
        None
    };
    let store = open_store(&args.store).await?;
    let display_name = args.display_name.clone().unwrap_or_else(|| args.name.clone());
    let (user, org) = harbour_app::accounts::install_account(
        &store,
        &args.name,
        &display_name,
        &args.org,
        args.team.as_deref(),
        role,
        password,
    )
    .await
    .with_context(|| format!("cannot add user {:?}", args.name))?;
    println!("added {} ({}) to {}", user.username, role.label(), org.name);
    if args.token {
        println!("{}", harbour_app::accounts::issue_token(&store, &user).await?);
    }
    Ok(())
}

fn secure_cookies(choice: CookieSecure, listen: &SocketAddr) -> bool {
    match choice {
        CookieSecure::Always => true,
        CookieSecure::Never => false,
        CookieSecure::Auto => !listen.ip().is_loopback(),
    }
}

async fn serve(args: ServeArgs) -> Result<()> {
    let url = database_url(&args.store);
    let mut store = open_store(&args.store).await?;
    let config = ServerConfig {
        secure_cookies: secure_cookies(args.cookie_secure, &args.listen),
        demo: args.demo,
        client_address_header: args.trusted_proxy_header.clone(),
    };
    tracing::info!(
        data_dir = %args.store.data_dir.display(),
        database = %redacted(&url),
        listen = %args.listen,
        demo = args.demo,
        secure_cookies = config.secure_cookies,
        "starting Harbour"
    );
    if args.demo {
        load_demo(&store).await?;
    } else if store.users().await?.is_empty() {
        println!(
            "No accounts yet: add one with `harbour user add --org SLUG --role admin --name NAME --password-stdin`."
        );
    }
    // Started after the demo data so its thousand events are sequenced as one batch.
    let signer = ledger_signer(&args.store, &store).await?;
    store.start_ledger(signer).await.context("starting the ledger")?;
    let app = App::from_store(store.clone(), Now::read().today()).await.context("loading the privacy notices")?;
    let state = AppState::new(app, config);
    for notice in state.notices() {
        println!(
            "Notice in force: {} (version {}) at /privacy/{}",
            notice.pack.title,
            notice.pack.version,
            notice.id()
        );
    }
    spawn_daily_sweep(state.app.clone());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    println!("Harbour is running at http://{}/", listener.local_addr()?);
    harbour_server::serve(state, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    store.close().await;
    Ok(())
}

/// The retention sweep, once at start and then every day. It only fills the review queue.
fn spawn_daily_sweep(app: App) {
    tokio::spawn(async move {
        let mut every_day = tokio::time::interval(std::time::Duration::from_secs(24 * 60 * 60));
        loop {
            every_day.tick().await;
            match app.sweep(None, Now::read().today(), false, |_| {}).await {
                Ok(r) => tracing::info!(
                    people = r.counts.people,
                    due = r.counts.due,
                    queued = r.queued.count,
                    held = r.counts.held,
                    "retention sweep"
                ),
                Err(e) => tracing::error!(error = %e, "retention sweep failed"),
            }
        }
    });
}

async fn load_demo(store: &Store) -> Result<()> {
    if store.is_empty().await? {
        let summary = demo::load(store, Now::read().today()).await.context("loading the demo data")?;
        println!(
            "Loaded demo data: {} organisations, {} children among {} people, {} episodes, {} entries.",
            summary.organisations, summary.children, summary.people, summary.episodes, summary.entries
        );
    }
    println!("Demo sign-ins (password \"{}\"):", demo::DEMO_PASSWORD);
    for (username, role) in demo::logins() {
        println!("  {username:<14} {}", role.label());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_in_database_urls_are_never_printed() {
        assert_eq!(redacted("postgres://harbour:s3cret@db:5432/h"), "postgres://harbour:***@db:5432/h");
        assert_eq!(redacted("sqlite:///tmp/x.db?mode=rwc"), "sqlite:///tmp/x.db?mode=rwc");
    }

    #[test]
    fn cookies_are_secure_except_on_loopback_http() {
        assert!(!secure_cookies(CookieSecure::Auto, &"127.0.0.1:8080".parse().unwrap()));
        assert!(secure_cookies(CookieSecure::Auto, &"0.0.0.0:8080".parse().unwrap()));
        assert!(secure_cookies(CookieSecure::Always, &"127.0.0.1:8080".parse().unwrap()));
    }
}
