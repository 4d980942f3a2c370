// The raw Piscina task: the same work as workspace/add.js.
module.exports = ({ a, b }) => a + b;
