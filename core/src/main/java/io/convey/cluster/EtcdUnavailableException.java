package io.convey.cluster;

import java.io.IOException;

/** No etcd endpoint answered (or none had a quorum); the message names every endpoint tried. */
public final class EtcdUnavailableException extends IOException {
    public EtcdUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
