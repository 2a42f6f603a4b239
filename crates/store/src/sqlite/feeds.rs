//! [`FeedLog`] in SQLite: the `feeds` and `feed_items` tables.

use rusqlite::{OptionalExtension, params};

use super::SqliteStore;
use crate::{FeedItemRecord, FeedLog, FeedState, Result};

impl FeedLog for SqliteStore {
    fn feed_state(&self, url: &str) -> Result<Option<FeedState>> {
        self.conn
            .query_row(
                "SELECT url, title, etag, last_modified, last_polled FROM feeds WHERE url = ?1",
                [url],
                |r| {
                    Ok(FeedState {
                        url: r.get(0)?,
                        title: r.get(1)?,
                        etag: r.get(2)?,
                        last_modified: r.get(3)?,
                        last_polled: r.get(4)?,
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    fn save_feed_state(&mut self, state: &FeedState) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO feeds (url, title, etag, last_modified, last_polled)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(url) DO UPDATE SET title = excluded.title, etag = excluded.etag,
                    last_modified = excluded.last_modified, last_polled = excluded.last_polled",
                params![
                    state.url,
                    state.title,
                    state.etag,
                    state.last_modified,
                    state.last_polled
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn feed_item_handled(&self, feed: &str, item_key: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM feed_items WHERE feed = ?1 AND item_key = ?2",
                params![feed, item_key],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    fn link_handled(&self, link: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT 1 FROM feed_items WHERE link = ?1 LIMIT 1",
                [link],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(|e| self.err(e))
    }

    fn record_feed_item(&mut self, item: &FeedItemRecord<'_>) -> Result<()> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        self.conn
            .execute(
                "INSERT INTO feed_items (feed, item_key, link, fetched_at, doc_id, outcome)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(feed, item_key) DO UPDATE SET link = excluded.link,
                    fetched_at = excluded.fetched_at, doc_id = excluded.doc_id,
                    outcome = excluded.outcome",
                params![
                    item.feed,
                    item.item_key,
                    item.link,
                    now,
                    item.doc_id,
                    item.outcome
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    fn feed_item_counts(&self, feed: &str) -> Result<(u64, u64)> {
        self.conn
            .query_row(
                "SELECT count(*), count(doc_id) FROM feed_items WHERE feed = ?1",
                [feed],
                |r| Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64)),
            )
            .map_err(|e| self.err(e))
    }

    fn doc_id_for_source(&self, source: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT doc_id FROM sources WHERE source = ?1 ORDER BY first_seen DESC LIMIT 1",
                [source],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_state_round_trips_and_updates() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = SqliteStore::open(&dir.path().join("t.db")).unwrap();
        let url = "https://wire.example/feed.xml";
        assert_eq!(store.feed_state(url).unwrap(), None);
        let mut state = FeedState {
            url: url.into(),
            title: Some("Wire".into()),
            etag: Some("\"v1\"".into()),
            last_modified: None,
            last_polled: Some("2026-03-05T10:00:00Z".into()),
        };
        store.save_feed_state(&state).unwrap();
        assert_eq!(store.feed_state(url).unwrap().as_ref(), Some(&state));
        state.etag = Some("\"v2\"".into());
        store.save_feed_state(&state).unwrap();
        assert_eq!(
            store.feed_state(url).unwrap().unwrap().etag.as_deref(),
            Some("\"v2\"")
        );
    }

    #[test]
    fn handled_items_are_remembered_by_key_and_by_link() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.db");
        {
            let mut store = SqliteStore::open(&path).unwrap();
            store
                .record_feed_item(&FeedItemRecord {
                    feed: "f1",
                    item_key: "guid-1",
                    link: Some("https://a.example/1"),
                    doc_id: Some("abc"),
                    outcome: "stored",
                })
                .unwrap();
            store
                .record_feed_item(&FeedItemRecord {
                    feed: "f1",
                    item_key: "guid-2",
                    link: None,
                    doc_id: None,
                    outcome: "HTTP 404",
                })
                .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert!(store.feed_item_handled("f1", "guid-1").unwrap());
        assert!(store.feed_item_handled("f1", "guid-2").unwrap());
        assert!(!store.feed_item_handled("f2", "guid-1").unwrap());
        assert!(store.link_handled("https://a.example/1").unwrap());
        assert!(!store.link_handled("https://a.example/2").unwrap());
        assert_eq!(store.feed_item_counts("f1").unwrap(), (2, 1));
        assert_eq!(store.doc_id_for_source("nowhere").unwrap(), None);
    }
}
