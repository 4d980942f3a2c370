// Orchestra handler style.
module.exports = async ({ a, b }) => a + b;
