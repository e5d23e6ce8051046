/** Runnable example networks. They arrive with the sparse-nn issue. */
package org.jsparse.examples;
