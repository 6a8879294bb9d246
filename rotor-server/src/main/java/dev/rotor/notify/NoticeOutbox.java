package dev.rotor.notify;

import dev.rotor.outbox.Outbox;

/**
 * The durable outbox of security notices. A notice enters it in the transaction that writes its audit event (the audit
 * log's adapter queues one for each event of {@link SecurityNotice#TYPES}), so nothing here queues; a claimed row
 * carries its event as the audit log holds it.
 */
public interface NoticeOutbox extends Outbox<NoticeDelivery> {}
