package dev.rotor.bench.load;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One rotation chain: a session's latest refresh token, the connection it is presented on, and
 * the state of the one request in flight. Mutable and confined to the loop thread.
 */
final class Chain {
  enum State { CONNECTING, WRITING, READING, DEAD }

  /** Typical responses (a JWT plus a refresh token) are ~1-2 KB; the buffer grows if needed. */
  private static final int INITIAL_READ_BUFFER = 8 * 1024;

  final int id;
  final TokenBuffer token;
  final ResponseParser parser = new ResponseParser();
  ByteBuffer out = ByteBuffer.allocate(1024);
  ByteBuffer in = ByteBuffer.allocate(INITIAL_READ_BUFFER);
  SocketChannel channel;
  SelectionKey key;
  State state = State.CONNECTING;
  /** When the request in flight was first written (System.nanoTime). */
  long sentAt;
  /** When the current connect or request times out (System.nanoTime). */
  long deadline;
  long rotations;

  Chain(int id, TokenBuffer token) {
    this.id = id;
    this.token = token;
  }

  boolean alive() {
    return state != State.DEAD;
  }
}
