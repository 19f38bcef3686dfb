//! The shared store and log suite on PostgreSQL. Runs when built with `--features postgres` and
//! `HEALTHPASS_TEST_POSTGRES` set to a connection string (see INTEGRATION.md); otherwise each
//! test is listed as ignored with the reason.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

#[cfg(feature = "postgres")]
mod suite;

#[cfg(feature = "postgres")]
mod pg {
    use healthpass_log::store::postgres::PostgresStore;
    use postgres::{Client, NoTls};

    use super::suite;

    pub struct Pg {
        url: String,
        name: String,
    }

    pub fn make(test: &str) -> Pg {
        let url = std::env::var("HEALTHPASS_TEST_POSTGRES").unwrap_or_default();
        let name = format!("t{}_{test}", std::process::id());
        // Start from empty tables.
        PostgresStore::open(&url, &name).unwrap().drop_tables().unwrap();
        Pg { url, name }
    }

    impl Drop for Pg {
        fn drop(&mut self) {
            if let Ok(store) = PostgresStore::open(&self.url, &self.name) {
                let _ = store.drop_tables();
            }
        }
    }

    impl Pg {
        fn client(&self) -> Client {
            Client::connect(&self.url, NoTls).unwrap()
        }
    }

    impl suite::Harness for Pg {
        type S = PostgresStore;
        fn open(&self) -> PostgresStore {
            PostgresStore::open(&self.url, &self.name).unwrap()
        }
        fn replace(&self, index: u64, data: &[u8]) {
            let sql = format!("UPDATE {}_entries SET data = $1 WHERE idx = $2", self.name);
            assert_eq!(self.client().execute(&sql, &[&data, &(index as i64)]).unwrap(), 1);
        }
        fn truncate(&self, size: u64) {
            let sql = format!("DELETE FROM {}_entries WHERE idx >= $1", self.name);
            self.client().execute(&sql, &[&(size as i64)]).unwrap();
        }
    }
}

#[cfg(feature = "postgres")]
use pg::make;

#[cfg(all(feature = "postgres", healthpass_pg_tests))]
store_suite!(allow(unused_attributes), make);

#[cfg(all(feature = "postgres", not(healthpass_pg_tests)))]
store_suite!(ignore = "PostgreSQL suite skipped: set HEALTHPASS_TEST_POSTGRES to a connection string", make);

#[cfg(not(feature = "postgres"))]
#[test]
#[ignore = "PostgreSQL suite skipped: build with --features postgres and set HEALTHPASS_TEST_POSTGRES"]
fn postgres_suite() {}
