/*
 * The daemon's store as rows and notifications of BMCWATCH-MIB,
 * ENTITY-MIB and ENTITY-SENSOR-MIB, in the subagent's message format
 * (wire.h).  Runs in bmcwatchd (the control socket's `watch` stream),
 * so no net-snmp here: only the MIB's numbers (oids.h).  Rows carry
 * their index within the target; the subagent adds the target's index.
 * Pure: the store is read, nothing else.
 */
#ifndef MIBROWS_H
#define MIBROWS_H

#include <stdint.h>
#include <stdio.h>

struct store_target;
struct store_event;

/* the snapshot message of t ("T name" and its rows) */
void		 mibrows_target(FILE *, const struct store_target *);
/* a signature of what mibrows_target shows: it changes when a snapshot
 * would */
uint64_t	 mibrows_sig(const struct store_target *);
/* the notification message of an event; 0 if the MIB has none for it
 * (nothing written) */
int		 mibrows_event(FILE *, const struct store_event *);
/* the IPMI PET trap message of a SEL event (wire.h: N 0); 0 if there is
 * none for it (not a system event record: nothing written) */
int		 mibrows_pet(FILE *, const struct store_event *);
/* a webhook's message ("W name" and its bmcwWebhookTable row), and a
 * signature that changes when it would */
struct store_webhook;
void		 mibrows_webhook(FILE *, const struct store_webhook *);
uint64_t	 mibrows_webhook_sig(const struct store_webhook *);
/* the general scalars the daemon knows ("G" lines) */
void		 mibrows_general(FILE *);

/* ENTITY-SENSOR-MIB EntitySensorDataType of an IPMI unit code (SDR
 * units 2: 1 degrees C, 4 Volts, ...) */
int		 mibrows_ent_sensor_type(uint8_t unit_base);
/* a value x 10^decimals as an Integer32 of ENTITY-SENSOR-MIB and our
 * MIB: rounded, clamped to +-1000000000 */
int32_t		 mibrows_scaled(double value, int decimals);

#endif
