// BullMQ's sandboxed processor: the same work as workspace/add.js.
module.exports = async (job) => job.data.a + job.data.b;
