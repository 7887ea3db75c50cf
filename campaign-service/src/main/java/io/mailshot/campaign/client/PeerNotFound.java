package io.mailshot.campaign.client;

/** A peer answered 404: what was asked about does not exist there. Never a failure of the peer itself. */
class PeerNotFound extends RuntimeException {

    PeerNotFound() {
        super(null, null, false, false);
    }
}
