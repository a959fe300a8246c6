package io.convey.cluster;

/** One etcd key with its value (UTF-8 text), the revision that last changed it, and its lease (0: none). */
public record KeyValue(String key, String value, long modRevision, long createRevision, long lease) {}
