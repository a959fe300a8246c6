/**
 * A fleet of appliances sharing one configuration in etcd: the etcd client (etcd's JSON gateway over the JDK's
 * HTTP client), the fleet's keys, the watch that follows the configuration key and the member records under leases.
 * It knows text and revisions only; the engine wires it to the configuration and the running state.
 */
package io.convey.cluster;
