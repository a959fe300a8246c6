package io.convey.config;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The configuration's recorded versions, newest first, with the exact text of each: the file's history next to it,
 * or a fleet's revisions in etcd (where reading can fail with the store unreachable).
 */
public interface VersionHistory {
    List<ConfigHistory.Entry> entries() throws ConfigEditException;

    Optional<String> text(long id) throws IOException, ConfigEditException;
}
