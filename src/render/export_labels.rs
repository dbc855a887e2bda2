//! Words of the human-readable exports (Markdown, HTML, iCalendar descriptions) that the
//! terminal views do not use. Identifiers (states, kinds, ids) stay as written, as in the views.

use crate::evaluate::State;
use crate::text::Lang;

pub struct ExportLabels {
    pub report: &'static str,
    pub incident: &'static str,
    pub organization: &'static str,
    pub service: &'static str,
    pub summary: &'static str,
    pub reviewed: &'static str,
    pub timeline: &'static str,
    pub key_intervals: &'static str,
    pub remediation: &'static str,
    pub sources: &'static str,
    pub provenance: &'static str,
    pub generated: &'static str,
    pub version: &'static str,
    pub input_file: &'static str,
    pub states: &'static str,
    pub approximate_note: &'static str,
    pub gap: fn(&str) -> String,
    pub provenance_note: &'static str,
    pub state_meaning: fn(State) -> &'static str,
    pub overview: &'static str,
    pub contents: &'static str,
    /// Column heads of the overview: overdue, due soon, no record, dwell, to notification.
    pub overview_columns: [&'static str; 5],
    /// The HTML overview's column of obligations filed after their deadline.
    pub filed_late: &'static str,
    pub at_a_glance: &'static str,
    pub reminder: fn(u16) -> String,
    /// A reminder before a target earlier than the legal deadline: days to the target, then
    /// the days the law allows after it.
    pub target_reminder: fn(i64, i64) -> String,
    pub nothing_needs_attention: &'static str,
}

const EN: ExportLabels = ExportLabels {
    report: "Incident report",
    incident: "Incident",
    organization: "Organization",
    service: "Service",
    summary: "Summary",
    reviewed: "Facts reviewed",
    timeline: "Timeline",
    key_intervals: "Key intervals",
    remediation: "Remediation",
    sources: "Sources",
    provenance: "Provenance",
    generated: "Generated",
    version: "breachline version",
    input_file: "Input file",
    states: "States",
    approximate_note: "~ marks a day count through a date known only to the month.",
    gap: |days| format!("{days} later"),
    provenance_note: "Compare the SHA-256 with `sha256sum FILE` to check which version of the incident file this report shows.",
    state_meaning: |s| match s {
        State::Done => "completed, by the due date (or without one) unless the row says \"on time not known\": then only a day after the deadline by which it was done is recorded",
        State::DoneLate => "completed after the due date",
        State::Cancelled => "cancelled",
        State::Overdue => "due date passed, not known to be completed",
        State::DueSoon => "open, due within the --soon window",
        State::Open => "open, not yet due",
        State::NoDeadline => "open, no due date stated",
        State::NoRecord => "reporting obligation past due; the record does not say whether it was filed",
        State::NotRequired => "reporting obligation decided not to be owed, with the reasoning recorded",
    },
    overview: "Overview",
    contents: "Contents",
    overview_columns: ["Overdue", "Due soon", "No record", "Dwell time", "Detection → notification"],
    filed_late: "Filed late",
    at_a_glance: "At a glance",
    reminder: |n| format!("Due in {n} day{}", if n == 1 { "" } else { "s" }),
    target_reminder: |n, later| {
        format!(
            "Target in {n} day{}, the legal deadline {later} day{} later",
            if n == 1 { "" } else { "s" },
            if later == 1 { "" } else { "s" }
        )
    },
    nothing_needs_attention: "Nothing is overdue, due soon or without a record.",
};

const JA: ExportLabels = ExportLabels {
    report: "インシデント報告",
    incident: "インシデント",
    organization: "組織",
    service: "サービス",
    summary: "概要",
    reviewed: "事実確認日",
    timeline: "経緯",
    key_intervals: "主な期間",
    remediation: "対策",
    sources: "情報源",
    provenance: "作成情報",
    generated: "作成日時",
    version: "breachline のバージョン",
    input_file: "入力ファイル",
    states: "状態",
    approximate_note: "~ は月までしか分からない日付を含む日数です。",
    gap: |days| format!("{days}後"),
    provenance_note: "SHA-256 を `sha256sum FILE` の結果と比べると、この報告がどの版のインシデントファイルを示すか確かめられます。",
    state_meaning: |s| match s {
        State::Done => "完了。「期限内か不明」とある行以外は期限までに完了（期限なしを含む）。その行は期限後のある日までに完了したことだけが記録されている",
        State::DoneLate => "期限後に完了",
        State::Cancelled => "中止",
        State::Overdue => "期限超過、完了の情報なし",
        State::DueSoon => "未完了、期限間近（--soon の日数以内）",
        State::Open => "未完了、期限前",
        State::NoDeadline => "未完了、期限の記載なし",
        State::NoRecord => "報告期限を経過、提出したかどうかの記録なし",
        State::NotRequired => "報告不要と判断（理由を記録）",
    },
    overview: "概要一覧",
    contents: "目次",
    overview_columns: ["期限超過", "期限間近", "記録なし", "潜伏期間", "検知から通知まで"],
    filed_late: "期限後の提出",
    at_a_glance: "要点",
    reminder: |n| format!("期限まであと{n}日"),
    target_reminder: |n, later| format!("目標まであと{n}日（法定期限はその{later}日後）"),
    nothing_needs_attention: "期限超過・期限間近・記録なしの項目はありません。",
};

pub fn export_labels(lang: Lang) -> &'static ExportLabels {
    match lang {
        Lang::En => &EN,
        Lang::Ja => &JA,
    }
}
