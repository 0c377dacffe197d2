// A Kafka admin client for the length of one call (topic and group housekeeping in the Kafka benchmarks).

/** Connects an admin client of `kafka` (a kafkajs.Kafka), runs fn(admin), and always disconnects. */
export async function withAdmin(kafka, fn) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await fn(admin);
  } finally {
    await admin.disconnect();
  }
}
