//! The documents of one input, produced on demand, whatever its format.

use sitrep_model::Problem;

use super::json::JsonLines;
use crate::feed::FeedItems;
use crate::raw::RawDoc;
use crate::warc::WarcRecords;

/// The documents of one input, produced on demand.
pub(super) enum Stream {
    /// A JSON Lines input, one line per call.
    Lines(JsonLines),
    /// Results already at hand (a text file, a JSON document, a problem).
    Ready(std::vec::IntoIter<Result<RawDoc, Problem>>),
    /// A WARC archive, one record per call.
    Warc(Box<WarcRecords>),
    /// A feed, one item per call (link-only items are fetched when reached).
    Feed(Box<FeedItems>),
}

impl Stream {
    pub(super) fn one(item: Result<RawDoc, Problem>) -> Stream {
        Stream::Ready(vec![item].into_iter())
    }

    /// The reader this input went to, named for reports (see [`Inputs::reader`]).
    ///
    /// [`Inputs::reader`]: super::Inputs::reader
    pub(super) fn reader(&self) -> &'static str {
        match self {
            Stream::Lines(_) => "jsonl",
            Stream::Ready(_) => "whole",
            Stream::Warc(_) => "warc",
            Stream::Feed(_) => "feed",
        }
    }
}

impl Iterator for Stream {
    type Item = Result<RawDoc, Problem>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Stream::Lines(lines) => lines.next(),
            Stream::Ready(items) => items.next(),
            Stream::Warc(records) => records.next(),
            Stream::Feed(items) => items.next(),
        }
    }
}
