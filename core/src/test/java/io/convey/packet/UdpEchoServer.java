package io.convey.packet;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A UDP server in a namespace: answers each datagram with "{@code <name> <payload>}" to its sender, and keeps
 * the payloads it received.
 */
final class UdpEchoServer implements AutoCloseable {
    final List<String> received = new CopyOnWriteArrayList<>();
    private final DatagramSocket socket;

    UdpEchoServer(String name, String ns, String host, int port) throws Exception {
        socket = NetNamespaces.callIn(ns, () -> new DatagramSocket(new InetSocketAddress(host, port)));
        Thread.ofPlatform().daemon().name("udp-" + name).start(() -> {
            byte[] buffer = new byte[65535];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket in = new DatagramPacket(buffer, buffer.length);
                    socket.receive(in);
                    String payload = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                    received.add(payload);
                    byte[] answer = (name + " " + payload).getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(answer, answer.length, in.getSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    @Override
    public void close() {
        socket.close();
    }
}
