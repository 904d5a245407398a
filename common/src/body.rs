//! Reading an HTTP request body whole, bounded in size and in time.

use core::time::Duration;

use http_body_util::{BodyExt as _, LengthLimitError, Limited};
use hyper::body::{Body, Bytes};

/// How long a request body may take to arrive once its head has.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Longer than the limit (413).
    TooLarge,
    /// Not sent within [`BODY_TIMEOUT`] (408).
    TooSlow,
    /// The connection failed while sending it (400).
    Broken,
}

impl BodyError {
    /// The status code that answers it.
    pub fn status(self) -> u16 {
        match self {
            BodyError::TooLarge => 413,
            BodyError::TooSlow => 408,
            BodyError::Broken => 400,
        }
    }
}

impl core::fmt::Display for BodyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            BodyError::TooLarge => "request body too large",
            BodyError::TooSlow => "request body not sent in time",
            BodyError::Broken => "request body broken off",
        })
    }
}

impl core::error::Error for BodyError {}

/// Reads a body of at most `max` bytes within [`BODY_TIMEOUT`].
pub async fn read_body<B>(body: B, max: usize) -> Result<Bytes, BodyError>
where
    B: Body<Data = Bytes>,
    B::Error: core::error::Error + Send + Sync + 'static,
{
    let read = async {
        match Limited::new(body, max).collect().await {
            Ok(collected) => Ok(collected.to_bytes()),
            Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => Err(BodyError::TooLarge),
            Err(_) => Err(BodyError::Broken),
        }
    };
    smol::future::or(read, async {
        smol::Timer::after(BODY_TIMEOUT).await;
        Err(BodyError::TooSlow)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::Full;

    #[test]
    fn bodies_are_read_whole_or_refused() {
        let body = || Full::new(Bytes::from_static(b"{\"a\":1}"));
        assert_eq!(smol::block_on(read_body(body(), 7)), Ok(Bytes::from_static(b"{\"a\":1}")));
        assert_eq!(smol::block_on(read_body(body(), 6)), Err(BodyError::TooLarge));
        assert_eq!(BodyError::TooLarge.status(), 413);
    }
}
