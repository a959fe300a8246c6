package io.convey.packet;

/**
 * The scenarios of {@link PassthroughNamespaceTest} with clients and servers leaving TCP checksums to offload (as
 * containers on the balancer's host do by default): the capture sees partial checksums, which the ring completes
 * before the rewrite, or every rewritten segment would reach its receiver with a bad checksum.
 */
class PassthroughWithChecksumOffloadNamespaceTest extends PassthroughNamespaceTest {

    @Override
    boolean checksumOffload() {
        return true;
    }
}
