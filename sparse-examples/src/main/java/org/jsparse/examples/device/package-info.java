/** A check that a device computes what the CPU computes: a few training steps of the completion network on both. */
package org.jsparse.examples.device;
